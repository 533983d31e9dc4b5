using System;
using KlingPS.Core.Models;

namespace KlingPS.Core.Client
{
    /// <summary>
    /// A connection context: the settings given to Connect-Kling and the one client (one HttpClient)
    /// that every command of a runspace shares. The client is created on first use.
    /// </summary>
    internal sealed class KlingConnection : IDisposable
    {
        private readonly object _lock = new object();
        private KlingClient? _client;

        public KlingConnection(KlingClientOptions options, string keySource)
        {
            Options = options ?? throw new ArgumentNullException(nameof(options));
            KlingClient.NormalizeBaseUri(options.BaseUri); // fail at connect time, not at first use
            KeySource = keySource;
        }

        public KlingClientOptions Options { get; }
        /// <summary>Where the key came from: Connect-Kling, -ApiKey, or the COMETAPI_KEY environment variable.</summary>
        public string KeySource { get; }

        public KlingClient Client
        {
            get
            {
                lock (_lock) return _client ??= new KlingClient(Options);
            }
        }

        /// <summary>What Get-KlingContext shows: everything but the key.</summary>
        public KlingContextInfo Describe() => new KlingContextInfo(KlingClient.NormalizeBaseUri(Options.BaseUri), Options.ApiKey.Hint, KeySource,
            Options.MaximumRetryCount, (int)Math.Round(Options.RetryInterval.TotalSeconds), (int)Math.Round(Options.RequestTimeout.TotalSeconds), Options.Proxy != null);

        public void Dispose()
        {
            lock (_lock) _client?.Dispose();
        }
    }
}
