using System;

namespace KlingPS.Core.Client
{
    /// <summary>How one call retries: a command's -MaximumRetryCount and -RetryIntervalSec, else the connection's; and where it tells about it.</summary>
    internal sealed class RetrySettings
    {
        public RetrySettings(KlingClientOptions options, KlingCallOptions call)
        {
            MaximumRetries = call.MaximumRetryCount ?? options.MaximumRetryCount;
            Interval = call.RetryInterval ?? options.RetryInterval;
            MaximumDelay = options.MaximumRetryDelay;
            Call = call;
        }

        public int MaximumRetries { get; }
        public TimeSpan Interval { get; }
        public TimeSpan MaximumDelay { get; }
        public KlingCallOptions Call { get; }

        /// <summary>The wait before retry <paramref name="attempt"/> + 1; the service's Retry-After wins when it asks for longer.</summary>
        public TimeSpan Delay(int attempt, TimeSpan? retryAfter) => Backoff.Delay(attempt, Interval, MaximumDelay, retryAfter);
    }
}
