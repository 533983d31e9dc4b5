namespace KlingPS
{
    /// <summary>Where a Kling task is in its life; Succeeded and Failed are final.</summary>
    public enum TaskStatus
    {
        /// <summary>A status this module does not know; treated as still running.</summary>
        Unknown = 0,
        /// <summary>Accepted, waiting for a worker (holds a concurrency slot already).</summary>
        Submitted,
        /// <summary>Being generated.</summary>
        Processing,
        /// <summary>Finished with videos (the service spells it "succeed").</summary>
        Succeeded,
        /// <summary>Finished without videos; StatusMessage says why.</summary>
        Failed,
    }

    /// <summary>Helpers for <see cref="TaskStatus"/>.</summary>
    public static class TaskStatusExtensions
    {
        /// <summary>True for Succeeded and Failed.</summary>
        public static bool IsFinal(this TaskStatus status) => status == TaskStatus.Succeeded || status == TaskStatus.Failed;

        internal static TaskStatus Parse(string? wire)
        {
            switch (wire?.Trim().ToLowerInvariant())
            {
                case "submitted": return TaskStatus.Submitted;
                case "processing": return TaskStatus.Processing;
                // "succeeded" is the 2026 new-standard spelling; accept both.
                case "succeed": case "succeeded": return TaskStatus.Succeeded;
                case "failed": return TaskStatus.Failed;
                default: return TaskStatus.Unknown;
            }
        }
    }
}
