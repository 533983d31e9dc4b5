using System;
using System.Net;

namespace KlingPS.Core.Client
{
    /// <summary>How to reach the service: one set per connection (Connect-Kling).</summary>
    internal sealed class KlingClientOptions
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
        /// <summary>
        /// The first wait before a probe of the account's concurrency limit: a create sent beyond the limit the client learned,
        /// which uploads its image and may be refused. It doubles with every 1303.
        /// </summary>
        public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(1);
        /// <summary>The longest wait between two probes; long, so that a long batch at the limit refuses few uploads.</summary>
        public TimeSpan MaximumProbeDelay { get; set; } = TimeSpan.FromMinutes(10);
        /// <summary>How long one API request may take, its whole answer included, before it counts as timed out; for a video download, the longest wait for its headers or for its next byte.</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);
        /// <summary>A proxy; null uses the system proxy.</summary>
        public IWebProxy? Proxy { get; set; }
        /// <summary>Parallel connections to one host (downloads and submissions).</summary>
        public int MaxConnectionsPerServer { get; set; } = 16;

        /// <summary>These settings with another key: a command's own -ApiKey still goes through the session's proxy, timeouts and retries.</summary>
        public KlingClientOptions WithKey(KlingApiKey apiKey) => new KlingClientOptions(apiKey)
        {
            BaseUri = BaseUri,
            MaximumRetryCount = MaximumRetryCount,
            RetryInterval = RetryInterval,
            MaximumRetryDelay = MaximumRetryDelay,
            ProbeInterval = ProbeInterval,
            MaximumProbeDelay = MaximumProbeDelay,
            RequestTimeout = RequestTimeout,
            Proxy = Proxy,
            MaxConnectionsPerServer = MaxConnectionsPerServer,
        };
    }
}
