namespace KlingPS.Core.Validation
{
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
        /// <summary>A callback's signature is missing, wrong or too old.</summary>
        SecurityError,
    }
}
