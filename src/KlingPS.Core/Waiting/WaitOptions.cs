using System;
using KlingPS.Core.Client;

namespace KlingPS.Core.Waiting
{
    /// <summary>How <see cref="TaskWaiter"/> polls.</summary>
    internal sealed class WaitOptions
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
}
