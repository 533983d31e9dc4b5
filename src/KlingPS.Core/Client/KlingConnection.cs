using System;

namespace KlingPS
{
    /// <summary>
    /// A connection context: the settings given to Connect-Kling and the one client (one HttpClient)
    /// that every command of a runspace shares. The client is created on first use.
    /// </summary>
    public sealed class KlingConnection : IDisposable
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
            Options.MaximumRetryCount, (int)Math.Round(Options.RetryInterval.TotalSeconds), Options.Proxy != null);

        public void Dispose()
        {
            lock (_lock) _client?.Dispose();
        }
    }

    /// <summary>The connection as Get-KlingContext shows it. The key appears only as its last four characters.</summary>
    public sealed class KlingContextInfo
    {
        public KlingContextInfo(Uri baseUri, string apiKeyHint, string keySource, int maximumRetryCount, int retryIntervalSec, bool usesProxy)
        {
            BaseUri = baseUri;
            ApiKeyHint = apiKeyHint;
            KeySource = keySource;
            MaximumRetryCount = maximumRetryCount;
            RetryIntervalSec = retryIntervalSec;
            UsesProxy = usesProxy;
        }

        public Uri BaseUri { get; }
        public string ApiKeyHint { get; }
        public string KeySource { get; }
        public int MaximumRetryCount { get; }
        public int RetryIntervalSec { get; }
        public bool UsesProxy { get; }
    }
}
