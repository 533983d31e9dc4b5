using System;
using System.Net;
using KlingPS.Core.Models;

namespace KlingPS.Core.Errors
{
    /// <summary>
    /// Every failure the core reports. Carries what a user or a support ticket needs (HTTP status,
    /// Kling code or CometAPI error code, the service's message, request id) and whether trying
    /// again can help. Messages never contain the API key.
    /// </summary>
    public class KlingApiException : Exception
    {
        public KlingApiException(KlingErrorKind kind, string message, Exception? inner = null)
            : base(message, inner)
        {
            Kind = kind;
        }

        /// <summary>What went wrong, coarsely.</summary>
        public KlingErrorKind Kind { get; }
        /// <summary>The HTTP status of the answer, if one came.</summary>
        public HttpStatusCode? StatusCode { get; init; }
        /// <summary>Kling's numeric code (1000-5002), if the body had one.</summary>
        public int? KlingCode { get; init; }
        /// <summary>CometAPI gateway's error.code (e.g. invalid_request), if the body had one.</summary>
        public string? GatewayCode { get; init; }
        /// <summary>The service's own words.</summary>
        public string? ServiceMessage { get; init; }
        /// <summary>The service's request id, for support.</summary>
        public string? RequestId { get; init; }
        /// <summary>True when the same request may succeed later (the retry table of the API README).</summary>
        public bool IsRetryable { get; init; }
        /// <summary>True when a create request may have reached the service although no answer came back.</summary>
        public bool OutcomeUnknown { get; init; }
        /// <summary>The wait the service asked for (Retry-After).</summary>
        public TimeSpan? RetryAfter { get; init; }
        /// <summary>The task concerned, when the failure is about one (failed task, timeout while waiting).</summary>
        public KlingTask? Task { get; init; }
        /// <summary>The external task id of a submission whose task may exist although the submission failed.</summary>
        public string? ExternalTaskId { get; init; }
        /// <summary>What happened, where the kind alone does not say (for the module's error id and advice).</summary>
        internal FailureCause Cause { get; init; }
        /// <summary>The request the failure is about: "POST image2video", a task id, a file name.</summary>
        public string? Target { get; init; }
    }
}
