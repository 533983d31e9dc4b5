using System;
using System.Net;

namespace KlingPS
{
    /// <summary>How to reach the service: one set per connection (Connect-Kling).</summary>
    public sealed class KlingClientOptions
    {
        /// <summary>CometAPI's address.</summary>
        public static readonly Uri DefaultBaseUri = new Uri("https://api.cometapi.com/");

        public KlingClientOptions(KlingApiKey apiKey) { ApiKey = apiKey ?? throw new ArgumentNullException(nameof(apiKey)); }

        public KlingApiKey ApiKey { get; }
        /// <summary>The service root; https, or http on loopback only.</summary>
        public Uri BaseUri { get; set; } = DefaultBaseUri;
        /// <summary>How many times a retryable failure is tried again (Invoke-RestMethod's -MaximumRetryCount).</summary>
        public int MaximumRetryCount { get; set; } = 4;
        /// <summary>The first backoff delay; it doubles per attempt, with jitter (Invoke-RestMethod's -RetryIntervalSec).</summary>
        public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);
        /// <summary>The longest single backoff delay.</summary>
        public TimeSpan MaximumRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
        /// <summary>How long one API request may take before it counts as timed out.</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);
        /// <summary>A proxy; null uses the system proxy.</summary>
        public IWebProxy? Proxy { get; set; }
        /// <summary>Parallel connections to one host (downloads and submissions).</summary>
        public int MaxConnectionsPerServer { get; set; } = 16;
    }

    /// <summary>Per-call settings: where -Verbose goes, and -MaximumRetryCount / -RetryIntervalSec given to one command.</summary>
    public sealed class KlingCallOptions
    {
        public static readonly KlingCallOptions Default = new KlingCallOptions();

        /// <summary>Receives a line for each step worth telling (-Verbose). Called from any thread.</summary>
        public Action<string>? Verbose { get; set; }
        public int? MaximumRetryCount { get; set; }
        public TimeSpan? RetryInterval { get; set; }

        internal void Say(string message) => Verbose?.Invoke(message);
    }
}
