namespace KlingPS
{
    /// <summary>
    /// An input refused locally, before any request was sent. <see cref="ErrorId"/> is stable, so that
    /// scripts and the cmdlets' ErrorRecord ids can rely on it; the message names the item, the rule
    /// and the value found.
    /// </summary>
    public sealed class KlingValidationException : KlingApiException
    {
        public KlingValidationException(string errorId, ValidationCategory category, string rule, object? item, string target, string message)
            : base(KlingErrorKind.Validation, message)
        {
            ErrorId = errorId;
            Category = category;
            Rule = rule;
            Item = item;
            Target = target;
        }

        /// <summary>Which rule failed, e.g. ImageTooSmall; see <see cref="ValidationErrorIds"/>.</summary>
        public string ErrorId { get; }
        /// <summary>The error category the cmdlets report.</summary>
        public ValidationCategory Category { get; }
        /// <summary>The rule in a few words, e.g. "each side at least 300 px".</summary>
        public string Rule { get; }
        /// <summary>What the user passed: the path (string) of a file, the <see cref="System.Uri"/> of a URL,
        /// the <see cref="KlingImage"/> of Base64 text, the external task id, or the request for a rule about the request.</summary>
        public object? Item { get; }
    }

    /// <summary>
    /// Categories of refused input. Each name is also a member of PowerShell's ErrorCategory, so the
    /// cmdlets convert by name; Core stays free of PowerShell types.
    /// </summary>
    public enum ValidationCategory
    {
        /// <summary>A parameter's value is not allowed.</summary>
        InvalidArgument,
        /// <summary>A file does not exist.</summary>
        ObjectNotFound,
        /// <summary>The content is not what Kling accepts: wrong format, corrupt, bad Base64, wrong size or shape.</summary>
        InvalidData,
        /// <summary>Over a maximum: bytes, characters, groups.</summary>
        LimitsExceeded,
        /// <summary>A file may not be read.</summary>
        PermissionDenied,
        /// <summary>A file could not be read.</summary>
        ReadError,
        /// <summary>An external task id is already used in the batch.</summary>
        ResourceExists,
    }

    /// <summary>Every <see cref="KlingValidationException.ErrorId"/>.</summary>
    public static class ValidationErrorIds
    {
        public const string ImageMissing = nameof(ImageMissing);
        public const string ImageNotFound = nameof(ImageNotFound);
        public const string ImageIsDirectory = nameof(ImageIsDirectory);
        public const string ImageUnreadable = nameof(ImageUnreadable);
        public const string ImageEmpty = nameof(ImageEmpty);
        public const string ImageTooLarge = nameof(ImageTooLarge);
        public const string ImageFormatNotSupported = nameof(ImageFormatNotSupported);
        public const string ImageTruncated = nameof(ImageTruncated);
        public const string ImageCorrupt = nameof(ImageCorrupt);
        public const string ImageTooSmall = nameof(ImageTooSmall);
        public const string ImageAspectRatioOutOfRange = nameof(ImageAspectRatioOutOfRange);
        public const string ImageUrlInvalid = nameof(ImageUrlInvalid);
        public const string ImageBase64Invalid = nameof(ImageBase64Invalid);
        public const string MaskAspectRatioMismatch = nameof(MaskAspectRatioMismatch);
        public const string MaskResolutionMismatch = nameof(MaskResolutionMismatch);
        public const string TooManyDynamicMasks = nameof(TooManyDynamicMasks);
        public const string TrajectoryLengthOutOfRange = nameof(TrajectoryLengthOutOfRange);
        public const string TrajectoryPointOutsideImage = nameof(TrajectoryPointOutsideImage);
        public const string ExclusiveParameters = nameof(ExclusiveParameters);
        public const string PromptTooLong = nameof(PromptTooLong);
        public const string NegativePromptTooLong = nameof(NegativePromptTooLong);
        public const string CfgScaleOutOfRange = nameof(CfgScaleOutOfRange);
        public const string DurationNotSupported = nameof(DurationNotSupported);
        public const string ModeNotSupported = nameof(ModeNotSupported);
        public const string AspectRatioNotSupported = nameof(AspectRatioNotSupported);
        public const string ImageCountOutOfRange = nameof(ImageCountOutOfRange);
        public const string CallbackUrlInvalid = nameof(CallbackUrlInvalid);
        public const string ExternalTaskIdEmpty = nameof(ExternalTaskIdEmpty);
        public const string ExternalTaskIdDuplicate = nameof(ExternalTaskIdDuplicate);
    }
}
