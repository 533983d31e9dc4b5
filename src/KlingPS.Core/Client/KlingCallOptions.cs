using System;

namespace KlingPS.Core.Client
{
    /// <summary>Per-call settings: where -Verbose and warnings go, and -MaximumRetryCount / -RetryIntervalSec given to one command.</summary>
    internal sealed class KlingCallOptions
    {
        public static readonly KlingCallOptions Default = new KlingCallOptions();

        /// <summary>Receives a line for each step worth telling (-Verbose). Called from any thread.</summary>
        public Action<string>? Verbose { get; set; }
        /// <summary>Receives what the user should see although nothing failed (Write-Warning). Called from any thread.</summary>
        public Action<string>? Warning { get; set; }
        public int? MaximumRetryCount { get; set; }
        public TimeSpan? RetryInterval { get; set; }

        internal void Say(string message) => Verbose?.Invoke(message);

        internal void Warn(string message) => Warning?.Invoke(message);
    }
}
