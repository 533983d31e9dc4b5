using System;
using System.Threading;

namespace KlingPS.Core.Client
{
    /// <summary>Exponential backoff with jitter, as CometAPI recommends: min(cap, base * 2^n) + random(0..base).</summary>
    internal static class Backoff
    {
        private static int _seed = Environment.TickCount;
        private static readonly ThreadLocal<Random> Random = new ThreadLocal<Random>(() => new Random(Interlocked.Increment(ref _seed)));

        public static TimeSpan Delay(int attempt, TimeSpan interval, TimeSpan cap, TimeSpan? retryAfter)
        {
            var exponential = interval.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20));
            var jitter = Random.Value!.NextDouble() * interval.TotalMilliseconds;
            var ms = Math.Min(cap.TotalMilliseconds, exponential) + jitter;
            // The service's own Retry-After wins when it asks for longer.
            if (retryAfter.HasValue && retryAfter.Value.TotalMilliseconds > ms) ms = Math.Min(retryAfter.Value.TotalMilliseconds, TimeSpan.FromMinutes(10).TotalMilliseconds);
            return TimeSpan.FromMilliseconds(ms);
        }
    }
}
