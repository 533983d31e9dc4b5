using System;

namespace KlingPS
{
    /// <summary>How <see cref="TaskWaiter"/> polls.</summary>
    public sealed class WaitOptions
    {
        /// <summary>Give up on tasks still running after this long (from the start of the wait); null waits forever.</summary>
        public TimeSpan? Timeout { get; set; }
        /// <summary>The shortest gap between two polls of one task.</summary>
        public TimeSpan MinimumPollInterval { get; set; } = TimeSpan.FromSeconds(5);
        /// <summary>The longest gap between two polls of one task (the backoff cap).</summary>
        public TimeSpan MaximumPollInterval { get; set; } = TimeSpan.FromSeconds(60);
        /// <summary>How long a task is expected to take before anything finished in this run teaches better.</summary>
        public TimeSpan InitialEstimate { get; set; } = TimeSpan.FromSeconds(30);
        /// <summary>Use one list request for many tasks where the service supports it.</summary>
        public bool UseListEndpoint { get; set; } = true;
        /// <summary>At most this many single-task queries at once.</summary>
        public int MaximumParallelQueries { get; set; } = 8;
        /// <summary>Verbose and retry settings for the queries.</summary>
        public KlingCallOptions Call { get; set; } = KlingCallOptions.Default;
    }

    /// <summary>Counts for one progress bar: how many tasks are done, running, failed.</summary>
    public readonly struct WaitProgress
    {
        public WaitProgress(int total, int succeeded, int failed, int running)
        {
            Total = total;
            Succeeded = succeeded;
            Failed = failed;
            Running = running;
        }

        public int Total { get; }
        public int Succeeded { get; }
        public int Failed { get; }
        public int Running { get; }
        public int Done => Succeeded + Failed;
    }
}
