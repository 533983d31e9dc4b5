namespace KlingPS.Core.Models
{
    /// <summary>Where a Kling task is in its life; Succeeded and Failed are final.</summary>
    /// <remarks>
    /// Based on long so that ConvertTo-Json writes the name, not a number: it writes Int64 and UInt64 enums as text (JavaScript
    /// numbers cannot hold them), in Windows PowerShell 5.1 and PowerShell 7 alike, while scripts keep the typed enum.
    /// </remarks>
    public enum KlingTaskStatus : long
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

    /// <summary>Helpers for <see cref="KlingTaskStatus"/>.</summary>
    internal static class KlingTaskStatusExtensions
    {
        /// <summary>True for Succeeded and Failed.</summary>
        public static bool IsFinal(this KlingTaskStatus status) => status == KlingTaskStatus.Succeeded || status == KlingTaskStatus.Failed;

        internal static KlingTaskStatus Parse(string? wire)
        {
            switch (wire?.Trim().ToLowerInvariant())
            {
                case "submitted": return KlingTaskStatus.Submitted;
                case "processing": return KlingTaskStatus.Processing;
                // "succeeded" is the 2026 new-standard spelling; accept both.
                case "succeed": case "succeeded": return KlingTaskStatus.Succeeded;
                case "failed": return KlingTaskStatus.Failed;
                default: return KlingTaskStatus.Unknown;
            }
        }
    }
}
