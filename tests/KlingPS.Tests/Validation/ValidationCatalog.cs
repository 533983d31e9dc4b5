using KlingPS.Tests.Support;
using static KlingPS.Tests.Support.TestImages;

namespace KlingPS.Tests.Validation;

/// <summary>An input the client must refuse: the request that holds it, and what the refusal says.</summary>
public sealed record BadInput(string Name, Func<TestImages, object> Request, string ErrorId, Func<TestImages, string> Message);

/// <summary>An input at the edge of the rules that the client must let through.</summary>
public sealed record GoodInput(string Name, Func<TestImages, object> Request);

/// <summary>
/// Every rule of issue 4 as inputs, shared by the unit tests (RequestValidator) and the end-to-end
/// tests (KlingClient against the emulator). Theories take case names so that each case is its own test.
/// </summary>
public static class ValidationCatalog
{
    private const int MiB = 1024 * 1024;
    private const string Https = "https://example.com/cat.png";
    private const string TooSmallRule = "Kling needs at least 300 px on each side.";
    private const string AspectRule = "Kling needs between 1:2.5 and 2.5:1.";
    private const string FormatRule = "Kling accepts only JPEG and PNG.";
    private const string BeforeFrame = "it ends before the JPEG frame header (SOF) that gives the image size.";
    private const string ExclusiveRule = "Kling accepts only one of image_tail, masks (static_mask, dynamic_masks) and camera control.";

    public static readonly IReadOnlyList<BadInput> Bad =
    [
        // Size, shape and bytes of a file.
        Refused("tiny PNG", t => I2V(t.File("tiny.png", Png(280, 400))), "ImageTooSmall", $"tiny.png is 280 x 400 px; {TooSmallRule}"),
        Refused("JPEG one pixel short", t => I2V(t.File("short.jpg", Jpeg(300, 299))), "ImageTooSmall", $"short.jpg is 300 x 299 px; {TooSmallRule}"),
        Refused("11 MB JPEG", t => I2V(t.File("big.jpg", Jpeg(new JpegSpec(1000, 800) { TotalBytes = 11 * MiB }))), "ImageTooLarge",
            "big.jpg is 11.0 MB (11534336 bytes); Kling accepts at most 10 MB (10485760 bytes)."),
        Refused("10 MB and one byte", t => I2V(t.File("over.jpg", Jpeg(new JpegSpec(1000, 800) { TotalBytes = 10 * MiB + 1 }))), "ImageTooLarge",
            "over.jpg is 10.0 MB (10485761 bytes); Kling accepts at most 10 MB (10485760 bytes)."),
        Refused("1:3 panorama", t => I2V(t.File("pano.png", Png(300, 900))), "ImageAspectRatioOutOfRange",
            $"pano.png is 300 x 900 px, an aspect ratio of 1:3; {AspectRule}"),
        Refused("3:1 panorama JPEG", t => I2V(t.File("wide.jpg", Jpeg(1200, 400))), "ImageAspectRatioOutOfRange",
            $"wide.jpg is 1200 x 400 px, an aspect ratio of 3:1; {AspectRule}"),
        Refused("just over 2.5:1", t => I2V(t.File("edge.png", Png(751, 300))), "ImageAspectRatioOutOfRange",
            $"edge.png is 751 x 300 px, an aspect ratio of 2.503:1; {AspectRule}"),

        // Formats by their bytes, not their names.
        Refused("GIF renamed .png", t => I2V(t.File("cat.png", Gif(400, 400))), "ImageFormatNotSupported", $"cat.png is a GIF image; {FormatRule}"),
        Refused("WebP renamed .jpg", t => I2V(t.File("photo.jpg", WebP())), "ImageFormatNotSupported", $"photo.jpg is a WebP image; {FormatRule}"),
        Refused("BMP renamed .png", t => I2V(t.File("scan.png", Bmp(400, 400))), "ImageFormatNotSupported", $"scan.png is a BMP image; {FormatRule}"),
        Refused("HEIC renamed .jpg", t => I2V(t.File("IMG_0001.jpg", Heif("heic", "mif1", "heic"))), "ImageFormatNotSupported",
            $"IMG_0001.jpg is a HEIC image; {FormatRule}"),
        Refused("HEIF with only the mif1 brand", t => I2V(t.File("IMG_0002.jpg", Heif("mif1", "mif1"))), "ImageFormatNotSupported",
            $"IMG_0002.jpg is a HEIC image; {FormatRule}"),
        Refused("AVIF renamed .png", t => I2V(t.File("pic.png", Heif("avif", "avif", "mif1", "miaf"))), "ImageFormatNotSupported",
            $"pic.png is an AVIF image; {FormatRule}"),
        Refused("HTML page saved as .png", t => I2V(t.File("page.png", "<html><body>Not found</body></html>"u8.ToArray())), "ImageFormatNotSupported",
            $"page.png is neither JPEG nor PNG (it starts with 3C 68 74 6D 6C 3E 3C 62); {FormatRule}"),

        // Truncated and corrupt headers.
        Refused("truncated JPEG", t => I2V(t.File("cut.jpg", CutBeforeFrame())), "ImageTruncated", $"cut.jpg is truncated: {BeforeFrame}"),
        Refused("JPEG cut inside its frame header", t => I2V(t.File("cut2.jpg", CutInsideFrame())), "ImageTruncated", $"cut2.jpg is truncated: {BeforeFrame}"),
        Refused("PNG cut inside IHDR", t => I2V(t.File("cut.png", Png(400, 400)[..20])), "ImageTruncated", "cut.png is truncated: it ends inside the PNG header."),
        Refused("PNG damaged by a text-mode transfer", t => I2V(t.File("lf.png", TextModePng())), "ImageCorrupt",
            "lf.png is corrupt: its PNG signature is damaged, as by a transfer in text mode."),
        Refused("PNG without IHDR first", t => I2V(t.File("noihdr.png", PngFromChunks(("IDAT", [1, 2, 3]), ("IEND", [])))), "ImageCorrupt",
            "noihdr.png is corrupt: its first PNG chunk is 'IDAT', not a 13-byte IHDR."),
        Refused("PNG 0 px wide", t => I2V(t.File("zero.png", PngFromChunks(("IHDR", Ihdr(0, 400)), ("IEND", [])))), "ImageCorrupt",
            "zero.png is corrupt: its PNG header gives a size of 0 x 400 px."),
        Refused("PNG with an impossible bit depth", t => I2V(t.File("depth.png", PngFromChunks(("IHDR", Ihdr(400, 400, depth: 4)), ("IEND", [])))), "ImageCorrupt",
            "depth.png is corrupt: its PNG header has an invalid combination (bit depth 4, colour type 2, or an unknown method)."),
        Refused("JPEG with junk after its start", t => I2V(t.File("junk.jpg", [0xFF, 0xD8, 0x12, 0x34, 0x56, 0x78])), "ImageCorrupt",
            "junk.jpg is corrupt: a JPEG marker was expected at byte 2 but the byte is 0x12."),
        Refused("JPEG with a scan before its frame", t => I2V(t.File("noframe.jpg", [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0xFF, 0xD9])),
            "ImageCorrupt", "noframe.jpg is corrupt: the JPEG has a scan (SOS) at byte 2, before the frame header (SOF) that gives the image size."),
        Refused("JPEG that ends before its frame", t => I2V(t.File("eoi.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xD9])), "ImageCorrupt",
            "eoi.jpg is corrupt: the JPEG has its end (EOI) at byte 8, before the frame header (SOF) that gives the image size."),
        Refused("JPEG segment of length 1", t => I2V(t.File("badlen.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 0x00, 0x00])), "ImageCorrupt",
            "badlen.jpg is corrupt: the JPEG segment at byte 2 declares an impossible length of 1."),

        // Files that are not there, or not files.
        Refused("empty file", t => I2V(t.File("empty.png", [])), "ImageEmpty", "empty.png is empty (0 bytes), or is not a regular file (a pipe or a device)."),
        Refused("directory", t => I2V(KlingImage.FromFile(Directory.CreateDirectory(t.PathOf("photos")).FullName)), "ImageIsDirectory",
            t => $"photos is a folder, not an image file ({t.PathOf("photos")})."),
        Refused("missing file", t => I2V(KlingImage.FromFile(t.PathOf("missing.png"))), "ImageNotFound",
            t => $"missing.png was not found: there is no file {t.PathOf("missing.png")}."),

        // URLs and Base64 text.
        Refused("ftp URL", _ => I2V(KlingImage.FromText("ftp://example.com/cat.png")), "ImageUrlInvalid",
            "ftp://example.com/cat.png uses the ftp scheme; Kling fetches images only over http or https."),
        Refused("file URL", _ => I2V(KlingImage.FromUrl(new Uri("file:///tmp/cat.png"))), "ImageUrlInvalid",
            "file:///tmp/cat.png uses the file scheme; Kling fetches images only over http or https."),
        Refused("relative URL", _ => I2V(KlingImage.FromUrl(new Uri("images/cat.png", UriKind.Relative))), "ImageUrlInvalid",
            "images/cat.png is not an absolute URL; Kling needs a public http or https URL."),
        Refused("Base64 with a stray character", _ => I2V(KlingImage.FromBase64("iVBORw0K*GgoAAAA")), "ImageBase64Invalid",
            "Base64 image is not valid Base64: '*' at position 8 is not a Base64 character."),
        Refused("Base64 of a wrong length", _ => I2V(KlingImage.FromBase64("iVBORw0KGgo")), "ImageBase64Invalid",
            "Base64 image is not valid Base64: its length, 11 characters, is not a multiple of 4."),
        Refused("URL-safe Base64", _ => I2V(KlingImage.FromBase64("ab-_")), "ImageBase64Invalid",
            "Base64 image is not valid Base64: '-' at position 2 is not a Base64 character (URL-safe Base64 is not accepted)."),
        Refused("Base64 with a line break", _ => I2V(KlingImage.FromBase64("iVBORw0\nKGgo")), "ImageBase64Invalid",
            "Base64 image is not valid Base64: U+000A at position 7 is not a Base64 character."),
        Refused("Base64 with padding inside", _ => I2V(KlingImage.FromBase64("ab=c")), "ImageBase64Invalid",
            "Base64 image is not valid Base64: padding '=' appears at position 2, before the end."),
        Refused("Base64 GIF", _ => I2V(Base64(Gif(400, 400))), "ImageFormatNotSupported", $"Base64 image is a GIF image; {FormatRule}"),
        Refused("data: URI of a tiny PNG", _ => I2V(KlingImage.FromText("data:image/png;base64," + Convert.ToBase64String(Png(280, 400)))), "ImageTooSmall",
            $"Base64 image is 280 x 400 px; {TooSmallRule}"),
        Refused("Base64 of a truncated JPEG", _ => I2V(Base64(CutBeforeFrame())), "ImageTruncated", $"Base64 image is truncated: {BeforeFrame}"),
        Refused("image_tail too small", t => I2V(Valid(t), r => r.ImageTail = t.File("tail.png", Png(299, 400))), "ImageTooSmall",
            $"tail.png (image_tail) is 299 x 400 px; {TooSmallRule}"),

        // Text and numbers.
        Refused("prompt of 2501 characters", t => I2V(Valid(t), r => r.Prompt = new string('a', 2501)), "PromptTooLong",
            "The prompt is 2501 characters long; Kling accepts at most 2500."),
        Refused("prompt of 2501 emoji", t => I2V(Valid(t), r => r.Prompt = string.Concat(Enumerable.Repeat("🐈", 2501))), "PromptTooLong",
            "The prompt is 2501 characters long; Kling accepts at most 2500."),
        Refused("negative prompt of 2501 characters", t => I2V(Valid(t), r => r.NegativePrompt = new string('b', 2501)), "NegativePromptTooLong",
            "The negative prompt is 2501 characters long; Kling accepts at most 2500."),
        Refused("cfg_scale 1.5", t => I2V(Valid(t), r => r.CfgScale = 1.5), "CfgScaleOutOfRange", "cfg_scale is 1.5; Kling accepts 0 to 1."),
        Refused("cfg_scale -0.1", t => I2V(Valid(t), r => r.CfgScale = -0.1), "CfgScaleOutOfRange", "cfg_scale is -0.1; Kling accepts 0 to 1."),
        Refused("cfg_scale NaN", t => I2V(Valid(t), r => r.CfgScale = double.NaN), "CfgScaleOutOfRange", "cfg_scale is NaN; Kling accepts 0 to 1."),
        Refused("duration 7", t => I2V(Valid(t), r => r.Duration = 7), "DurationNotSupported", "The duration is 7 s; Kling accepts 5 or 10 s."),
        Refused("mode fast", t => I2V(Valid(t), r => r.Mode = "fast"), "ModeNotSupported", "The mode is 'fast'; Kling accepts std or pro."),
        Refused("mode in capitals", t => I2V(Valid(t), r => r.Mode = "Pro"), "ModeNotSupported", "The mode is 'Pro'; Kling accepts std or pro."),
        Refused("ftp callback URL", t => I2V(Valid(t), r => r.CallbackUrl = new Uri("ftp://example.com/hook")), "CallbackUrlInvalid",
            "The callback URL 'ftp://example.com/hook' is not an absolute http or https URL."),
        Refused("relative callback URL", t => I2V(Valid(t), r => r.CallbackUrl = new Uri("/hook", UriKind.Relative)), "CallbackUrlInvalid",
            "The callback URL '/hook' is not an absolute http or https URL."),
        Refused("blank external task id", t => I2V(Valid(t), r => r.ExternalTaskId = "  "), "ExternalTaskIdEmpty",
            "The external task id is empty; leave it out to have one generated."),
        Refused("external task id '..'", t => I2V(Valid(t), r => r.ExternalTaskId = ".."), "ExternalTaskIdInvalid",
            "The external task id '..' cannot be looked up: '.' and '..' are path segments of a URL, not names."),

        // Multi-image.
        Refused("multi-image with one image", t => Multi([Valid(t)]), "ImageCountOutOfRange", "The multi-image request has 1 image; Kling needs 2 to 4."),
        Refused("multi-image with five images", t => Multi([.. Enumerable.Range(1, 5).Select(i => Valid(t, $"{i}.png"))]), "ImageCountOutOfRange",
            "The multi-image request has 5 images; Kling needs 2 to 4."),
        Refused("multi-image aspect ratio 4:3", t => Multi([Valid(t, "a.png"), Valid(t, "b.png")], r => r.AspectRatio = "4:3"), "AspectRatioNotSupported",
            "The aspect ratio is '4:3'; Kling accepts 16:9, 9:16 or 1:1."),
        Refused("multi-image with a GIF second", t => Multi([Valid(t, "a.png"), t.File("b.png", Gif(400, 400)), Valid(t, "c.png")]), "ImageFormatNotSupported",
            $"b.png (image 2 of 3) is a GIF image; {FormatRule}"),
        Refused("multi-image with a missing image", t => Multi([Valid(t), null!]), "ImageMissing", "Image 2 of 2 is missing."),
        Refused("multi-image with a bad URL", t => Multi([Valid(t), KlingImage.FromText("ftp://example.com/b.png")]), "ImageUrlInvalid",
            "ftp://example.com/b.png (image 2 of 2) uses the ftp scheme; Kling fetches images only over http or https."),

        // Masks and trajectories.
        Refused("mask of another aspect ratio", t => I2V(Valid(t, "cat.png", 600, 600), r => r.StaticMask = t.File("mask.png", Png(400, 300))), "MaskAspectRatioMismatch",
            "mask.png (static_mask) is 400 x 300 px (1.333:1) but the input image is 600 x 600 px (1:1); a mask needs the image's aspect ratio."),
        Refused("masks of two resolutions", t => I2V(Valid(t, "cat.png", 600, 600), r =>
            {
                r.StaticMask = t.File("mask.png", Png(600, 600));
                r.DynamicMasks.Add(Motion(t.File("small.png", Png(300, 300)), (0, 0), (10, 10)));
            }), "MaskResolutionMismatch",
            "small.png (dynamic mask 1) is 300 x 300 px but mask.png (static_mask) is 600 x 600 px; all masks need one resolution."),
        Refused("mask that is a GIF", t => I2V(Valid(t), r => r.StaticMask = t.File("mask.gif", Gif(400, 400))), "ImageFormatNotSupported",
            $"mask.gif (static_mask) is a GIF image; {FormatRule}"),
        Refused("mask too small", t => I2V(Valid(t), r => r.DynamicMasks.Add(Motion(t.File("m.png", Png(200, 200)), (0, 0), (1, 1)))), "ImageTooSmall",
            $"m.png (dynamic mask 1) is 200 x 200 px; {TooSmallRule}"),
        Refused("7 mask groups", t => I2V(Valid(t), r =>
            {
                var mask = t.File("m.png", Png(400, 400));
                for (var i = 0; i < 7; i++) r.DynamicMasks.Add(Motion(mask, (0, 0), (i, i)));
            }), "TooManyDynamicMasks", "The request has 7 dynamic masks; Kling accepts at most 6."),
        Refused("1-point trajectory", t => I2V(Valid(t), r => r.DynamicMasks.Add(Motion(t.File("m.png", Png(400, 400)), (5, 5)))), "TrajectoryLengthOutOfRange",
            "m.png (dynamic mask 1) has a trajectory of 1 point; Kling needs 2 to 77 points."),
        Refused("78-point trajectory", t => I2V(Valid(t), r => r.DynamicMasks.Add(new DynamicMask(t.File("m.png", Png(400, 400)), Line(78)))), "TrajectoryLengthOutOfRange",
            "m.png (dynamic mask 1) has a trajectory of 78 points; Kling needs 2 to 77 points."),
        Refused("trajectory right of the image", t => I2V(Valid(t, "cat.png", 600, 400), r => r.DynamicMasks.Add(Motion(t.File("m.png", Png(600, 400)), (0, 0), (601, 10)))),
            "TrajectoryPointOutsideImage", "m.png (dynamic mask 1): trajectory point 2 (601, 10) lies outside the 600 x 400 px image; x goes from 0 to 600, y from 0 to 400."),
        Refused("trajectory above the image", t => I2V(Valid(t, "cat.png", 600, 400), r => r.DynamicMasks.Add(Motion(t.File("m.png", Png(600, 400)), (10, 401), (0, 0)))),
            "TrajectoryPointOutsideImage", "m.png (dynamic mask 1): trajectory point 1 (10, 401) lies outside the 600 x 400 px image; x goes from 0 to 600, y from 0 to 400."),
        Refused("negative trajectory point with a URL image", t => I2V(KlingImage.FromText(Https), r => r.DynamicMasks.Add(Motion(t.File("m.png", Png(600, 400)), (-1, 5), (3, 3)))),
            "TrajectoryPointOutsideImage", "m.png (dynamic mask 1): trajectory point 1 (-1, 5) lies outside the image; coordinates start at 0 at the bottom-left corner."),
        Refused("image_tail with a static mask", t => I2V(Valid(t), r =>
            {
                r.ImageTail = Valid(t, "tail.png");
                r.StaticMask = Valid(t, "mask.png");
            }), "ExclusiveParameters", $"The request has image_tail and static_mask; {ExclusiveRule}"),
        Refused("image_tail with dynamic masks", t => I2V(Valid(t), r =>
            {
                r.ImageTail = Valid(t, "tail.png");
                r.DynamicMasks.Add(Motion(Valid(t, "m.png"), (0, 0), (5, 5)));
            }), "ExclusiveParameters", $"The request has image_tail and dynamic_masks; {ExclusiveRule}"),
    ];

    public static readonly IReadOnlyList<GoodInput> Good =
    [
        Accepted("exactly 300 x 300 px", t => I2V(t.File("square.png", Png(300, 300)))),
        Accepted("exactly 2.5:1", t => I2V(t.File("wide.png", Png(750, 300)))),
        Accepted("exactly 1:2.5 JPEG", t => I2V(t.File("tall.jpg", Jpeg(300, 750)))),
        Accepted("exactly 10 MB", t => I2V(t.File("ten.jpg", Jpeg(new JpegSpec(1000, 800) { TotalBytes = 10 * MiB })))),
        Accepted("CMYK JPEG with Adobe APP14", t => I2V(t.File("cmyk.jpg", Jpeg(new JpegSpec(640, 480) { Components = 4, Adobe = true })))),
        Accepted("progressive JPEG", t => I2V(t.File("progressive.jpg", Jpeg(new JpegSpec(640, 480) { Sof = 0xC2 })))),
        Accepted("extended sequential JPEG", t => I2V(t.File("extended.jpg", Jpeg(new JpegSpec(640, 480) { Sof = 0xC1 })))),
        Accepted("greyscale JPEG", t => I2V(t.File("grey.jpg", Jpeg(new JpegSpec(640, 480) { Components = 1 })))),
        Accepted("JPEG with EXIF before its frame", t => I2V(t.File("exif.jpg", Jpeg(new JpegSpec(640, 480) { Exif = true, ExifPadding = 60000 })))),
        Accepted("JPEG with fill bytes, TEM and RST markers", t => I2V(t.File("fill.jpg", Jpeg(new JpegSpec(640, 480) { FillBytes = true })))),
        Accepted("JPEG with 300 KB of comments before its frame", t => I2V(t.File("comments.jpg", Jpeg(new JpegSpec(640, 480) { CommentBytes = 300_000 })))),
        Accepted("PNG with eXIf", t => I2V(t.File("exif.png", Png(400, 300, exif: true)))),
        Accepted("Base64 PNG", _ => I2V(Base64(Png(400, 300)))),
        Accepted("data: URI of a PNG", _ => I2V(KlingImage.FromText("data:image/png;base64," + Convert.ToBase64String(Png(400, 300))))),
        Accepted("Base64 JPEG with its frame past the first 48 KB", _ => I2V(Base64(Jpeg(new JpegSpec(640, 480) { Exif = true, ExifPadding = 60000 })))),
        Accepted("https URL", _ => I2V(KlingImage.FromText(Https))),
        Accepted("http URL with a query", _ => I2V(KlingImage.FromText("http://example.com/img?id=7&size=large"))),
        Accepted("prompts of 2500 characters", t => I2V(Valid(t), r =>
            {
                r.Prompt = new string('a', 2500);
                r.NegativePrompt = string.Concat(Enumerable.Repeat("🐈", 2500));
            })),
        Accepted("cfg 0, 5 s, std", t => I2V(Valid(t), r => (r.CfgScale, r.Duration, r.Mode) = (0, 5, "std"))),
        Accepted("cfg 1, 10 s, pro", t => I2V(Valid(t), r => (r.CfgScale, r.Duration, r.Mode) = (1, 10, "pro"))),
        Accepted("unknown model name", t => I2V(Valid(t), r => r.Model = "kling-v9-future")),
        Accepted("callback and external id", t => I2V(Valid(t), r => (r.CallbackUrl, r.ExternalTaskId) = (new Uri("https://example.com/hook"), "job-1"))),
        Accepted("image_tail", t => I2V(Valid(t), r => r.ImageTail = t.File("tail.jpg", Jpeg(500, 500)))),
        Accepted("motion brush at its limits", t => I2V(Valid(t, "cat.png", 600, 400), r =>
            {
                // Masks of another resolution than the image, same aspect ratio; points on the image's edges.
                r.StaticMask = t.File("still.png", Png(450, 300));
                var moving = t.File("moving.png", Png(450, 300));
                r.DynamicMasks.Add(Motion(moving, (0, 0), (600, 400)));
                for (var i = 1; i < 6; i++) r.DynamicMasks.Add(new DynamicMask(moving, Line(77)));
            })),
        Accepted("mask scaled to whole pixels", t => I2V(Valid(t, "cat.png", 1001, 750), r => r.StaticMask = t.File("mask.png", Png(500, 375)))),
        Accepted("multi-image with 2 images", t => Multi([Valid(t, "a.png"), Valid(t, "b.jpg")])),
        Accepted("multi-image with 4 images and every option", t => Multi(
            [Valid(t, "a.png"), t.File("b.jpg", Jpeg(300, 750)), Base64(Png(400, 400)), KlingImage.FromText(Https)],
            r => (r.AspectRatio, r.Prompt, r.CfgScale, r.Duration, r.Mode) = ("9:16", "a cat", 0.5, 10, "pro"))),
    ];

    public static IEnumerable<object[]> BadNames => Bad.Select(b => new object[] { b.Name });
    public static IEnumerable<object[]> GoodNames => Good.Select(g => new object[] { g.Name });

    public static BadInput BadCase(string name) => Bad.Single(b => b.Name == name);
    public static GoodInput GoodCase(string name) => Good.Single(g => g.Name == name);

    public static void Validate(object request) => RequestValidator.Validate((KlingVideoRequest)request);

    internal static Task<KlingTask> SubmitAsync(KlingClient client, object request) => client.SubmitAsync((KlingVideoRequest)request);

    /// <summary>Every image a request holds, masks included.</summary>
    public static IEnumerable<KlingImage> ImagesOf(object request)
    {
        var (images, staticMask, masks) = request switch
        {
            ImageVideoRequest r => (new KlingImage?[] { r.Image, r.ImageTail }, r.StaticMask, r.DynamicMasks),
            MultiImageVideoRequest m => (m.Images.ToArray<KlingImage?>(), m.StaticMask, m.DynamicMasks),
            _ => throw new ArgumentException("Not a request.", nameof(request)),
        };
        return images.Append(staticMask).Concat(masks.Select(d => d.Mask)).OfType<KlingImage>();
    }

    private static BadInput Refused(string name, Func<TestImages, object> request, string errorId, string message) =>
        new(name, request, errorId, _ => message);

    private static BadInput Refused(string name, Func<TestImages, object> request, string errorId, Func<TestImages, string> message) =>
        new(name, request, errorId, message);

    private static GoodInput Accepted(string name, Func<TestImages, object> request) => new(name, request);

    private static ImageVideoRequest I2V(KlingImage image, Action<ImageVideoRequest>? set = null)
    {
        var request = new ImageVideoRequest(image);
        set?.Invoke(request);
        return request;
    }

    private static MultiImageVideoRequest Multi(KlingImage[] images, Action<MultiImageVideoRequest>? set = null)
    {
        var request = new MultiImageVideoRequest(images);
        set?.Invoke(request);
        return request;
    }

    /// <summary>A valid image file: a PNG, or a JPEG when the name says so.</summary>
    private static KlingImage Valid(TestImages t, string name = "cat.png", int width = 400, int height = 400) =>
        t.File(name, name.EndsWith(".jpg", StringComparison.Ordinal) ? Jpeg(width, height) : Png(width, height));

    private static KlingImage Base64(byte[] bytes) => KlingImage.FromBase64(Convert.ToBase64String(bytes));

    private static DynamicMask Motion(KlingImage mask, params (int X, int Y)[] points) =>
        new(mask, points.Select(p => new TrajectoryPoint(p.X, p.Y)));

    private static IEnumerable<TrajectoryPoint> Line(int count) => Enumerable.Range(0, count).Select(i => new TrajectoryPoint(i * 4, i * 3));

    private static byte[] CutBeforeFrame()
    {
        var jpeg = Jpeg(new JpegSpec(640, 480) { Exif = true });
        return jpeg[..(FrameHeaderOffset(jpeg) - 20)]; // inside the quantisation table
    }

    private static byte[] CutInsideFrame()
    {
        var jpeg = Jpeg(640, 480);
        return jpeg[..(FrameHeaderOffset(jpeg) + 6)]; // marker, length and precision, but no size
    }

    /// <summary>A PNG whose CR LF was turned into LF, as an FTP transfer in ASCII mode does.</summary>
    private static byte[] TextModePng()
    {
        var png = Png(400, 400);
        return [.. png[..4], .. png[5..]];
    }
}
