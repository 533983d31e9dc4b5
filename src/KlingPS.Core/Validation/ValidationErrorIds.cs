namespace KlingPS.Core.Validation
{
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
        public const string CallbackBodyInvalid = nameof(CallbackBodyInvalid);
        public const string CallbackTaskIdMissing = nameof(CallbackTaskIdMissing);
        public const string CallbackSignatureMissing = nameof(CallbackSignatureMissing);
        public const string CallbackSignatureInvalid = nameof(CallbackSignatureInvalid);
        public const string CallbackTimestampOutOfRange = nameof(CallbackTimestampOutOfRange);
        public const string CallbackSecretInvalid = nameof(CallbackSecretInvalid);
        public const string ExternalTaskIdInvalid = nameof(ExternalTaskIdInvalid);
        /// <summary>A task id (or an external id looked up as one) that is empty, "." or "..", refused before any URL is built.</summary>
        public const string TaskIdInvalid = nameof(TaskIdInvalid);
    }
}
