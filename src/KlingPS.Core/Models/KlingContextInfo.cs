using System;

namespace KlingPS.Core.Models
{
    /// <summary>The connection as Get-KlingContext shows it. The key appears only as its last four characters.</summary>
    public sealed class KlingContextInfo
    {
        public KlingContextInfo(Uri baseUri, string apiKeyHint, string keySource, int maximumRetryCount, int retryIntervalSec, int requestTimeoutSec, bool usesProxy)
        {
            BaseUri = baseUri;
            ApiKeyHint = apiKeyHint;
            KeySource = keySource;
            MaximumRetryCount = maximumRetryCount;
            RetryIntervalSec = retryIntervalSec;
            RequestTimeoutSec = requestTimeoutSec;
            UsesProxy = usesProxy;
        }

        public Uri BaseUri { get; }
        public string ApiKeyHint { get; }
        public string KeySource { get; }
        public int MaximumRetryCount { get; }
        public int RetryIntervalSec { get; }
        public int RequestTimeoutSec { get; }
        public bool UsesProxy { get; }
    }
}
