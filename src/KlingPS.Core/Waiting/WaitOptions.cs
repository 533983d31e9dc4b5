using System;
using KlingPS.Core.Client;

namespace KlingPS.Core.Waiting
{
    /// <summary>How <see cref="TaskWaiter"/> polls (<see cref="PollPlan"/> says when).</summary>
    internal sealed class WaitOptions
    {
        /// <summary>Give up on tasks still running after this long (from the start of the wait); null waits forever.</summary>
        public TimeSpan? Timeout { get; set; }
        /// <summary>The shortest gap between two polls of one task, and how soon a task nothing is known about is first polled.</summary>
        public TimeSpan MinimumPollInterval { get; set; } = TimeSpan.FromSeconds(1);
        /// <summary>The longest gap between two polls of a task whose end cannot be foreseen.</summary>
        public TimeSpan MaximumPollInterval { get; set; } = TimeSpan.FromSeconds(60);
        /// <summary>
        /// -PollIntervalSec: each task is first polled this long after it is added, then at gaps growing from it by half each
        /// time (up to the longest gap); nothing is learned or foreseen. Null: the plan adapts.
        /// </summary>
        public TimeSpan? FixedPollInterval { get; set; }
        /// <summary>How long the last poll, at the timeout, may take: it makes the status reported for a task still running fresh.</summary>
        public TimeSpan FinalPollLimit { get; set; } = TimeSpan.FromSeconds(3);
        /// <summary>Use one list request for many tasks where the service supports it.</summary>
        public bool UseListEndpoint { get; set; } = true;
        /// <summary>At most this many single-task queries at once.</summary>
        public int MaximumParallelQueries { get; set; } = 8;
        /// <summary>Verbose and retry settings for the queries.</summary>
        public KlingCallOptions Call { get; set; } = KlingCallOptions.Default;
    }
}
