using System;
using System.Collections.Generic;
using System.Globalization;
using KlingPS.Core.Models;

namespace KlingPS.Core.Validation
{
    /// <summary>The messages and rule texts of local validation.</summary>
    internal static class ValidationMessages
    {
        // Rules, as KlingValidationException.Rule states them.
        public const string RuleImagePresent = "every image must be given";
        public const string RuleFileExists = "an image file must exist";
        public const string RuleIsFile = "an image must be a file, not a folder";
        public const string RuleReadable = "an image file must be readable";
        public const string RuleNotEmpty = "an image must not be empty";
        public const string RuleMaxBytes = "an image is at most 10 MB (10485760 bytes)";
        public const string RuleFormat = "an image is JPEG or PNG";
        public const string RuleHeader = "an image has a complete, valid header";
        public const string RuleMinSide = "each side of an image is at least 300 px";
        public const string RuleAspectRatio = "an image's aspect ratio is between 1:2.5 and 2.5:1";
        public const string RuleUrl = "an image URL is an absolute http or https URL";
        public const string RuleBase64 = "Base64 text uses the standard alphabet, padded to a multiple of 4";
        public const string RuleMaskAspectRatio = "a mask has the input image's aspect ratio";
        public const string RuleMaskResolution = "all masks have one resolution";
        public const string RuleMaskCount = "at most 6 dynamic masks";
        public const string RuleTrajectoryLength = "a trajectory has 2 to 77 points";
        public const string RuleTrajectoryInside = "trajectory points lie inside the image";
        public const string RuleExclusive = "image_tail, masks and camera control are mutually exclusive";
        public const string RulePromptLength = "a prompt has at most 2500 characters";
        public const string RuleCfgScale = "cfg_scale is between 0 and 1";
        public const string RuleDuration = "duration is 5 or 10 seconds";
        public const string RuleMode = "mode is std or pro";
        public const string RuleAspectRatioChoice = "aspect_ratio is 16:9, 9:16 or 1:1";
        public const string RuleImageCount = "a multi-image task has 2 to 4 images";
        public const string RuleCallbackUrl = "callback_url is an absolute http or https URL";
        public const string RuleExternalIdPresent = "an external task id is not empty";
        public const string RuleExternalIdUnique = "external task ids are unique within a batch";
        public const string RuleExternalIdUsable = "an external task id is not '.' or '..' (it is looked up in a URL)";
        public const string RuleTaskId = "a task id is not empty, '.' or '..'";

        public static string ImageMissing(string what) => $"{what} is missing.";

        public static string ImageNotFound(string label, string path) => $"{label} was not found: there is no file {path}.";

        public static string ImageIsDirectory(string label, string path) => $"{label} is a folder, not an image file ({path}).";

        public static string ImageUnreadable(string label, string detail) => $"{label} cannot be read: {detail}";

        public static string ImageEmpty(string label) => $"{label} is empty (0 bytes).";

        public static string FileEmpty(string label) => $"{label} is empty (0 bytes), or is not a regular file (a pipe or a device).";

        public static string ImageTooLarge(string label, long bytes) =>
            $"{label} is {Number(bytes / (1024.0 * 1024.0), "0.0")} MB ({bytes} bytes); Kling accepts at most 10 MB (10485760 bytes).";

        public static string WrongFormat(string label, ImageFormat format) =>
            $"{label} is a{(format == ImageFormat.Avif ? "n" : "")} {(format == ImageFormat.WebP ? "WebP" : format.ToString().ToUpperInvariant())} image; Kling accepts only JPEG and PNG.";

        public static string ImageFormatUnknown(string label, byte[] head)
        {
            var hex = BitConverter.ToString(head).Replace('-', ' ');
            return $"{label} is neither JPEG nor PNG (it starts with {hex}); Kling accepts only JPEG and PNG.";
        }

        public static string ImageTruncated(string label, string detail) => $"{label} is truncated: {detail}.";

        public static string ImageCorrupt(string label, string detail) => $"{label} is corrupt: {detail}.";

        public static string ImageTooSmall(string label, int width, int height) =>
            $"{label} is {width} x {height} px; Kling needs at least 300 px on each side.";

        public static string ImageAspectRatio(string label, int width, int height) =>
            $"{label} is {width} x {height} px, an aspect ratio of {Ratio(width, height)}; Kling needs between 1:2.5 and 2.5:1.";

        public static string ImageUrlScheme(string label, string scheme) =>
            $"{label} uses the {scheme} scheme; Kling fetches images only over http or https.";

        public static string ImageUrlRelative(string label) => $"{label} is not an absolute URL; Kling needs a public http or https URL.";

        public static string ImageBase64(string label, string detail) => $"{label} is not valid Base64: {detail}.";

        public static string MaskAspectRatio(string label, ImageInfo mask, ImageInfo image) =>
            $"{label} is {mask.Width} x {mask.Height} px ({Ratio(mask.Width, mask.Height)}) but the input image is {image.Width} x {image.Height} px ({Ratio(image.Width, image.Height)}); a mask needs the image's aspect ratio.";

        public static string MaskResolution(string label, ImageInfo mask, string otherLabel, ImageInfo other) =>
            $"{label} is {mask.Width} x {mask.Height} px but {otherLabel} is {other.Width} x {other.Height} px; all masks need one resolution.";

        public static string TooManyMasks(int count) => $"The request has {count} dynamic masks; Kling accepts at most 6.";

        public static string TrajectoryLength(string label, int count) =>
            $"{label} has a trajectory of {count} point{(count == 1 ? "" : "s")}; Kling needs 2 to 77 points.";

        public static string TrajectoryNegative(string label, int index, TrajectoryPoint p) =>
            $"{label}: trajectory point {index} ({p.X}, {p.Y}) lies outside the image; coordinates start at 0 at the bottom-left corner.";

        public static string TrajectoryOutside(string label, int index, TrajectoryPoint p, ImageInfo image) =>
            $"{label}: trajectory point {index} ({p.X}, {p.Y}) lies outside the {image.Width} x {image.Height} px image; x goes from 0 to {image.Width}, y from 0 to {image.Height}.";

        public static string Exclusive(IEnumerable<string> present) =>
            $"The request has {string.Join(" and ", present)}; Kling accepts only one of image_tail, masks (static_mask, dynamic_masks) and camera control.";

        public static string TextTooLong(string what, int length) => $"The {what} is {length} characters long; Kling accepts at most 2500.";

        public static string CfgScale(double value) => $"cfg_scale is {Number(value, "R")}; Kling accepts 0 to 1.";

        public static string Duration(int seconds) => $"The duration is {seconds} s; Kling accepts 5 or 10 s.";

        public static string Mode(string mode) => $"The mode is '{mode}'; Kling accepts std or pro.";

        public static string AspectRatioChoice(string value) => $"The aspect ratio is '{value}'; Kling accepts 16:9, 9:16 or 1:1.";

        public static string ImageCount(int count) =>
            $"The multi-image request has {count} image{(count == 1 ? "" : "s")}; Kling needs 2 to 4.";

        public static string CallbackUrl(Uri url) => $"The callback URL '{url.OriginalString}' is not an absolute http or https URL.";

        public const string ExternalIdEmpty = "The external task id is empty; leave it out to have one generated.";

        public static string ExternalIdInvalid(string id) =>
            $"The external task id '{id}' cannot be looked up: '.' and '..' are path segments of a URL, not names.";

        public static string TaskIdInvalid(string? id) =>
            string.IsNullOrWhiteSpace(id) ? "The task id is empty." : $"The task id '{id!.Trim()}' cannot name a task: '.' and '..' are path segments of a URL.";

        public static string ExternalIdDuplicate(string id, string firstItem) =>
            $"External task id '{id}' is already used by {firstItem} in this batch; each task needs its own.";

        // Details of a header that ImageInspector refuses; they complete ImageTruncated, ImageCorrupt and ImageBase64.
        public const string HeaderEmpty = "it has no bytes";
        public const string PngEndsInHeader = "it ends inside the PNG header";
        public const string PngSignatureDamaged = "its PNG signature is damaged, as by a transfer in text mode";
        public const string JpegEndsBeforeFrame = "it ends before the JPEG frame header (SOF) that gives the image size";

        public static string PngNoIhdr(string chunk) => $"its first PNG chunk is '{Printable(chunk)}', not a 13-byte IHDR";

        public static string PngBadIhdr(int depth, int colour) =>
            $"its PNG header has an invalid combination (bit depth {depth}, colour type {colour}, or an unknown method)";

        public static string HeaderSize(string format, uint width, uint height) => $"its {format} header gives a size of {width} x {height} px";

        public static string JpegNoMarker(long at, int found) => $"a JPEG marker was expected at byte {at} but the byte is 0x{found:X2}";

        public static string JpegMarkerBeforeFrame(int marker, long at)
        {
            var name = marker switch
            {
                0xD8 => "a second start of image (SOI)",
                0xD9 => "its end (EOI)",
                0xDA => "a scan (SOS)",
                _ => "an invalid marker 0xFF00",
            };
            return $"the JPEG has {name} at byte {at}, before the frame header (SOF) that gives the image size";
        }

        public static string JpegSegmentLength(long at, int length) => $"the JPEG segment at byte {at} declares an impossible length of {length}";

        public static string Base64Length(int length) => $"its length, {length} characters, is not a multiple of 4";

        public static string Base64Padding(int at) => $"padding '=' appears at position {at}, before the end";

        public static string Base64Character(char c, int at) =>
            $"{(c < ' ' || c > '~' ? $"U+{(int)c:X4}" : "'" + c + "'")} at position {at} is not a Base64 character{(c == '-' || c == '_' ? " (URL-safe Base64 is not accepted)" : "")}";

        /// <summary>"3:1", "1:3" or "2.503:1": never rounded onto the 2.5 limit it breaks.</summary>
        private static string Ratio(int width, int height)
        {
            var r = width >= height ? (double)width / height : (double)height / width;
            var text = Number(r, "0.###");
            if (text == "2.5" && r != 2.5) text = Number(r, "0.#########");
            return width >= height ? text + ":1" : "1:" + text;
        }

        private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

        private static string Printable(string text)
        {
            var chars = text.ToCharArray();
            for (var i = 0; i < chars.Length; i++) if (chars[i] < ' ' || chars[i] > '~') chars[i] = '?';
            return new string(chars);
        }
    }
}
