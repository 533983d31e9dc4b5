using System;
using System.Collections.Generic;
using System.IO;
using KlingPS.Core.Models;

namespace KlingPS.Core.Validation
{
    /// <summary>
    /// Refuses, before anything is sent, what the service would certainly refuse (the API README's
    /// rules); what may be valid (an unknown model name, say) is left for the service to judge.
    /// Throws the first problem found as a <see cref="KlingValidationException"/>, checking in a fixed
    /// order: text and numbers, then counts and combinations, then each image in request order, then
    /// masks against the image. File and Base64 images get their <see cref="KlingImage.Info"/> set;
    /// URL images can only have their form checked.
    /// </summary>
    internal static class RequestValidator
    {
        /// <summary>Kling's "10 MB", read as 10 MiB: the larger reading, so that no image the service takes is refused here.</summary>
        public const long MaxImageBytes = 10L * 1024 * 1024;
        public const int MinImageSide = 300;
        public const int MaxPromptLength = 2500;
        public const int MaxDynamicMasks = 6;
        public const int MinTrajectoryPoints = 2;
        public const int MaxTrajectoryPoints = 77;
        public const int MinImages = 2;
        public const int MaxImages = 4;

        // A mask scaled from the image to whole pixels is off by well under 1 %; more than that is another shape.
        private const double MaskRatioTolerance = 0.01;
        private const int FileBufferBytes = 512; // header reads are small and seeks drop the buffer

        private static readonly string[] MultiImageAspectRatios = { "16:9", "9:16", "1:1" };

        /// <summary>Checks a request by every rule, in the fixed order, and marks it validated.</summary>
        public static void Validate(KlingVideoRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var target = request.Name;
            CheckSettings(request, target);
            switch (request)
            {
                case ImageVideoRequest single: CheckExclusive(single, target); break;
                case MultiImageVideoRequest multi: CheckAspectRatioAndCount(multi, target); break;
            }
            CheckMaskCounts(request, target, request.DynamicMasks);
            var frame = InspectRouteImages(request, target);
            CheckMasks(request.StaticMask, request.DynamicMasks, frame);
            request.IsValidated = true;
        }

        private static void CheckSettings(KlingVideoRequest request, string target)
        {
            CheckText(request, target, request.Prompt, "prompt", ValidationErrorIds.PromptTooLong);
            CheckText(request, target, request.NegativePrompt, "negative prompt", ValidationErrorIds.NegativePromptTooLong);
            if (request.CfgScale is double cfg && !(cfg >= 0 && cfg <= 1))
                throw Fail(ValidationErrorIds.CfgScaleOutOfRange, ValidationCategory.InvalidArgument, ValidationMessages.RuleCfgScale, request, target, ValidationMessages.CfgScale(cfg));
            if (request.Duration is int seconds && seconds != 5 && seconds != 10)
                throw Fail(ValidationErrorIds.DurationNotSupported, ValidationCategory.InvalidArgument, ValidationMessages.RuleDuration, request, target, ValidationMessages.Duration(seconds));
            if (request.Mode is string mode && mode != "std" && mode != "pro")
                throw Fail(ValidationErrorIds.ModeNotSupported, ValidationCategory.InvalidArgument, ValidationMessages.RuleMode, request, target, ValidationMessages.Mode(mode));
            if (request.CallbackUrl is Uri callbackUrl && !IsHttpUrl(callbackUrl))
                throw Fail(ValidationErrorIds.CallbackUrlInvalid, ValidationCategory.InvalidArgument, ValidationMessages.RuleCallbackUrl, request, target, ValidationMessages.CallbackUrl(callbackUrl));
            if (request.ExternalTaskId != null && request.ExternalTaskId.Trim().Length == 0)
                throw Fail(ValidationErrorIds.ExternalTaskIdEmpty, ValidationCategory.InvalidArgument, ValidationMessages.RuleExternalIdPresent, request, target, ValidationMessages.ExternalIdEmpty);
            if (request.ExternalTaskId != null && !TaskIds.IsUsable(request.ExternalTaskId))
                throw Fail(ValidationErrorIds.ExternalTaskIdInvalid, ValidationCategory.InvalidArgument, ValidationMessages.RuleExternalIdUsable, request, target, ValidationMessages.ExternalIdInvalid(request.ExternalTaskId.Trim()));
        }

        private static void CheckExclusive(ImageVideoRequest request, string target)
        {
            if (request.ImageTail == null || (request.StaticMask == null && request.DynamicMasks.Count == 0)) return;
            var present = new List<string> { "image_tail" };
            if (request.StaticMask != null) present.Add("static_mask");
            if (request.DynamicMasks.Count > 0) present.Add("dynamic_masks");
            throw Fail(ValidationErrorIds.ExclusiveParameters, ValidationCategory.InvalidArgument, ValidationMessages.RuleExclusive, request, target,
                ValidationMessages.Exclusive(present));
        }

        private static void CheckAspectRatioAndCount(MultiImageVideoRequest request, string target)
        {
            if (request.AspectRatio != null && Array.IndexOf(MultiImageAspectRatios, request.AspectRatio) < 0)
                throw Fail(ValidationErrorIds.AspectRatioNotSupported, ValidationCategory.InvalidArgument, ValidationMessages.RuleAspectRatioChoice, request, target,
                    ValidationMessages.AspectRatioChoice(request.AspectRatio));
            var count = request.Images.Count;
            if (count < MinImages || count > MaxImages)
                throw Fail(ValidationErrorIds.ImageCountOutOfRange, ValidationCategory.InvalidArgument, ValidationMessages.RuleImageCount, request, target,
                    ValidationMessages.ImageCount(count));
        }

        /// <summary>
        /// Each image of the route, in request order; returns the frame that masks and trajectories must match: image2video's
        /// first image. Several images give no single frame, so for a multi-image request those checks are the service's.
        /// </summary>
        private static ImageInfo? InspectRouteImages(KlingVideoRequest request, string target)
        {
            if (request is ImageVideoRequest single)
            {
                var frame = Inspect(single.Image, single.Image.Name);
                if (single.ImageTail != null) Inspect(single.ImageTail, Label(single.ImageTail, "image_tail"));
                return frame;
            }
            var images = request.RouteImages;
            for (var i = 0; i < images.Count; i++)
            {
                var role = $"image {i + 1} of {images.Count}";
                var image = images[i] ?? throw Missing(request, target, char.ToUpperInvariant(role[0]) + role.Substring(1));
                Inspect(image, Label(image, role));
            }
            return null;
        }

        private static void CheckText(object request, string target, string? text, string what, string errorId)
        {
            if (text == null) return;
            // The service counts characters, not UTF-16 units: a surrogate pair (an emoji) is one.
            var length = text.Length;
            for (var i = 1; i < text.Length; i++) if (char.IsSurrogatePair(text[i - 1], text[i])) length--;
            if (length > MaxPromptLength)
                throw Fail(errorId, ValidationCategory.LimitsExceeded, ValidationMessages.RulePromptLength, request, target, ValidationMessages.TextTooLong(what, length));
        }

        private static void CheckMaskCounts(object request, string target, IList<DynamicMask> masks)
        {
            if (masks.Count > MaxDynamicMasks)
                throw Fail(ValidationErrorIds.TooManyDynamicMasks, ValidationCategory.LimitsExceeded, ValidationMessages.RuleMaskCount, request, target, ValidationMessages.TooManyMasks(masks.Count));
            for (var i = 0; i < masks.Count; i++)
            {
                if (masks[i] == null) throw Missing(request, target, $"Dynamic mask {i + 1}");
                var points = masks[i].Trajectory.Count;
                if (points < MinTrajectoryPoints || points > MaxTrajectoryPoints)
                    throw Fail(ValidationErrorIds.TrajectoryLengthOutOfRange, ValidationCategory.InvalidArgument, ValidationMessages.RuleTrajectoryLength, masks[i],
                        DynamicLabel(masks[i], i), ValidationMessages.TrajectoryLength(DynamicLabel(masks[i], i), points));
            }
        }

        /// <summary>Each mask by the image rules; then against the input image (when it could be inspected) and against each other.</summary>
        private static void CheckMasks(KlingImage? staticMask, IList<DynamicMask> dynamicMasks, ImageInfo? image)
        {
            var masks = new List<(KlingImage Mask, string Label)>();
            if (staticMask != null) masks.Add((staticMask, Label(staticMask, "static_mask")));
            for (var i = 0; i < dynamicMasks.Count; i++) masks.Add((dynamicMasks[i].Mask, DynamicLabel(dynamicMasks[i], i)));

            (string Label, ImageInfo Info)? reference = null;
            foreach (var (mask, label) in masks)
            {
                var info = Inspect(mask, label);
                if (info == null) continue;
                if (image != null && !SameAspectRatio(info, image))
                    throw Fail(ValidationErrorIds.MaskAspectRatioMismatch, ValidationCategory.InvalidData, ValidationMessages.RuleMaskAspectRatio, ItemOf(mask), label,
                        ValidationMessages.MaskAspectRatio(label, info, image));
                if (reference is { } first && (first.Info.Width != info.Width || first.Info.Height != info.Height))
                    throw Fail(ValidationErrorIds.MaskResolutionMismatch, ValidationCategory.InvalidData, ValidationMessages.RuleMaskResolution, ItemOf(mask), label,
                        ValidationMessages.MaskResolution(label, info, first.Label, first.Info));
                reference ??= (label, info);
            }

            for (var i = 0; i < dynamicMasks.Count; i++)
            {
                var trajectory = dynamicMasks[i].Trajectory;
                for (var j = 0; j < trajectory.Count; j++)
                {
                    var p = trajectory[j];
                    string? message = p.X < 0 || p.Y < 0 ? ValidationMessages.TrajectoryNegative(DynamicLabel(dynamicMasks[i], i), j + 1, p)
                        : image != null && (p.X > image.Width || p.Y > image.Height) ? ValidationMessages.TrajectoryOutside(DynamicLabel(dynamicMasks[i], i), j + 1, p, image)
                        : null;
                    if (message != null)
                        throw Fail(ValidationErrorIds.TrajectoryPointOutsideImage, ValidationCategory.InvalidArgument, ValidationMessages.RuleTrajectoryInside,
                            dynamicMasks[i], DynamicLabel(dynamicMasks[i], i), message);
                }
            }
        }

        private static bool SameAspectRatio(ImageInfo a, ImageInfo b)
        {
            var ra = (double)a.Width / a.Height;
            var rb = (double)b.Width / b.Height;
            return Math.Abs(ra - rb) <= MaskRatioTolerance * rb;
        }

        /// <summary>Checks one image by every rule it can be checked by; returns its header, or null for a URL.</summary>
        private static ImageInfo? Inspect(KlingImage image, string label)
        {
            ImageInfo info;
            byte[] head;
            switch (image.Kind)
            {
                case KlingImageKind.Url:
                    var url = image.Url!;
                    if (!url.IsAbsoluteUri)
                        throw Fail(ValidationErrorIds.ImageUrlInvalid, ValidationCategory.InvalidArgument, ValidationMessages.RuleUrl, url, label, ValidationMessages.ImageUrlRelative(label));
                    if (!IsHttpUrl(url))
                        throw Fail(ValidationErrorIds.ImageUrlInvalid, ValidationCategory.InvalidArgument, ValidationMessages.RuleUrl, url, label, ValidationMessages.ImageUrlScheme(label, url.Scheme));
                    return null;
                case KlingImageKind.Base64:
                    info = InspectBase64(image, label, out head);
                    break;
                default:
                    info = InspectFile(image, label, out head);
                    break;
            }

            var item = ItemOf(image);
            if (info.Format != ImageFormat.Jpeg && info.Format != ImageFormat.Png)
                throw Fail(ValidationErrorIds.ImageFormatNotSupported, ValidationCategory.InvalidData, ValidationMessages.RuleFormat, item, label,
                    info.Format == ImageFormat.Unknown ? ValidationMessages.ImageFormatUnknown(label, head) : ValidationMessages.WrongFormat(label, info.Format));
            if (info.ByteLength > MaxImageBytes)
                throw Fail(ValidationErrorIds.ImageTooLarge, ValidationCategory.LimitsExceeded, ValidationMessages.RuleMaxBytes, item, label, ValidationMessages.ImageTooLarge(label, info.ByteLength));
            if (info.Width < MinImageSide || info.Height < MinImageSide)
                throw Fail(ValidationErrorIds.ImageTooSmall, ValidationCategory.InvalidData, ValidationMessages.RuleMinSide, item, label, ValidationMessages.ImageTooSmall(label, info.Width, info.Height));
            // 1:2.5 to 2.5:1, in integers so that exactly 2.5 passes.
            if (2L * info.Width > 5L * info.Height || 2L * info.Height > 5L * info.Width)
                throw Fail(ValidationErrorIds.ImageAspectRatioOutOfRange, ValidationCategory.InvalidData, ValidationMessages.RuleAspectRatio, item, label,
                    ValidationMessages.ImageAspectRatio(label, info.Width, info.Height));
            image.Info = info;
            return info;
        }

        private static ImageInfo InspectFile(KlingImage image, string label, out byte[] head)
        {
            var path = image.Path!;
            if (Directory.Exists(path))
                throw Fail(ValidationErrorIds.ImageIsDirectory, ValidationCategory.InvalidArgument, ValidationMessages.RuleIsFile, path, label, ValidationMessages.ImageIsDirectory(label, path));
            try
            {
                // A pipe, a device or a socket has no length, and opening one can wait forever for a writer: like an empty
                // file, it is refused before it is opened.
                if (new FileInfo(path).Length == 0)
                    throw Fail(ValidationErrorIds.ImageEmpty, ValidationCategory.InvalidData, ValidationMessages.RuleNotEmpty, path, label, ValidationMessages.FileEmpty(label));
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferBytes);
                return Header(stream, image, label, out head);
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                throw Fail(ValidationErrorIds.ImageNotFound, ValidationCategory.ObjectNotFound, ValidationMessages.RuleFileExists, path, label, ValidationMessages.ImageNotFound(label, path));
            }
            catch (UnauthorizedAccessException e)
            {
                throw Fail(ValidationErrorIds.ImageUnreadable, ValidationCategory.PermissionDenied, ValidationMessages.RuleReadable, path, label, ValidationMessages.ImageUnreadable(label, e.Message));
            }
            catch (IOException e)
            {
                throw Fail(ValidationErrorIds.ImageUnreadable, ValidationCategory.ReadError, ValidationMessages.RuleReadable, path, label, ValidationMessages.ImageUnreadable(label, e.Message));
            }
        }

        private static ImageInfo InspectBase64(KlingImage image, string label, out byte[] head)
        {
            var text = image.Base64!;
            if (text.Length == 0)
                throw Fail(ValidationErrorIds.ImageEmpty, ValidationCategory.InvalidData, ValidationMessages.RuleNotEmpty, image, label, ValidationMessages.ImageEmpty(label));
            var problem = ImageInspector.Base64Problem(text);
            if (problem != null)
                throw Fail(ValidationErrorIds.ImageBase64Invalid, ValidationCategory.InvalidData, ValidationMessages.RuleBase64, image, label, ValidationMessages.ImageBase64(label, problem));
            return Header(null, image, label, out head);
        }

        /// <summary>Reads the header of a file stream or of Base64 text, turning a refused header into a validation error.</summary>
        private static ImageInfo Header(Stream? file, KlingImage image, string label, out byte[] head)
        {
            try
            {
                return file != null ? ImageInspector.Inspect(file, out head) : ImageInspector.InspectBase64(image.Base64!, out head);
            }
            catch (EndOfStreamException e)
            {
                throw Fail(ValidationErrorIds.ImageTruncated, ValidationCategory.InvalidData, ValidationMessages.RuleHeader, ItemOf(image), label, ValidationMessages.ImageTruncated(label, e.Message));
            }
            catch (InvalidDataException e)
            {
                throw Fail(ValidationErrorIds.ImageCorrupt, ValidationCategory.InvalidData, ValidationMessages.RuleHeader, ItemOf(image), label, ValidationMessages.ImageCorrupt(label, e.Message));
            }
        }

        private static bool IsHttpUrl(Uri url) =>
            url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) && url.Host.Length > 0;

        private static string Label(KlingImage image, string role) => $"{image.Name} ({role})";

        private static string DynamicLabel(DynamicMask mask, int index) => Label(mask.Mask, $"dynamic mask {index + 1}");

        private static object ItemOf(KlingImage image) => image.Kind switch
        {
            KlingImageKind.File => image.Path!,
            KlingImageKind.Url => image.Url!,
            _ => image,
        };

        private static KlingValidationException Missing(object request, string target, string what) =>
            Fail(ValidationErrorIds.ImageMissing, ValidationCategory.InvalidArgument, ValidationMessages.RuleImagePresent, request, target, ValidationMessages.ImageMissing(what));

        private static KlingValidationException Fail(string errorId, ValidationCategory category, string rule, object? item, string target, string message) =>
            new KlingValidationException(errorId, category, rule, item, target, message);
    }
}
