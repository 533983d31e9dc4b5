namespace KlingPS.Core.Errors
{
    /// <summary>
    /// What happened, where the kind alone does not say and the module has advice for it (a file in the way, which the
    /// cmdlet can replace). Core states the fact; the module words what to do about it.
    /// </summary>
    internal enum FailureCause
    {
        Unspecified,
        /// <summary>The file a video was to be saved as exists already.</summary>
        FileExists,
    }
}
