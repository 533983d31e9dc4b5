using System;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Errors;
using KlingPS.Core.Wire;

namespace KlingPS.Core.Client
{
    /// <summary>Turns an HTTP answer into data or into a classified <see cref="KlingApiException"/> (the API README's error table).</summary>
    internal static class ResponseReader
    {
        private static readonly Regex GatewayRequestId = new Regex(@"\s*\(request id: ([^\s)]+)\)\s*$", RegexOptions.CultureInvariant);

        /// <summary>
        /// The answer's data, left as JSON: each task in it is read on its own (<see cref="TaskMapper"/>), so that one
        /// malformed task spoils only itself.
        /// </summary>
        public static async Task<(JsonElement Data, string? RequestId)> ReadAsync(HttpResponseMessage response, string target, Uri baseUri,
            bool isCreate, CancellationToken ct)
        {
            var status = (int)response.StatusCode;
            if (status >= 300 && status < 400)
            {
                throw new KlingApiException(KlingErrorKind.InvalidResponse,
                    Messages.RedirectAnswer(target, status, response.Headers.Location, baseUri))
                { StatusCode = response.StatusCode, Target = target };
            }

            using var body = await AnswerBody.ReadAsync(response, target, isCreate, ct).ConfigureAwait(false);
            var json = AnswerBody.Json(body);
            var mediaType = response.Content?.Headers.ContentType?.MediaType ?? string.Empty;
            if (mediaType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0 || AnswerBody.LooksLikeMarkup(json))
            {
                // A wrong base URI answers with the website; a gateway hiccup can too. Both are worth one more
                // try, and for a create the task may exist already.
                throw new KlingApiException(KlingErrorKind.InvalidResponse, Messages.HtmlAnswer(target, status, baseUri))
                { StatusCode = response.StatusCode, Target = target, IsRetryable = true, OutcomeUnknown = isCreate && status < 300 };
            }

            Envelope<JsonElement>? envelope;
            try
            {
                envelope = JsonSerializer.Deserialize(json, KlingJson.Context.EnvelopeJsonElement);
            }
            catch (JsonException e)
            {
                if (status >= 400) throw Classify(response, null, null, target);
                throw new KlingApiException(KlingErrorKind.InvalidResponse, Messages.MalformedJson(target, status, e.Message), e)
                { StatusCode = response.StatusCode, Target = target, IsRetryable = true, OutcomeUnknown = isCreate };
            }

            if (envelope == null) throw new KlingApiException(KlingErrorKind.InvalidResponse, Messages.MalformedJson(target, status, "empty body"))
            { StatusCode = response.StatusCode, Target = target, IsRetryable = true, OutcomeUnknown = isCreate };

            var code = ReadInt(envelope.Code);
            if (envelope.Error != null || (code.HasValue && code.Value != 0) || status >= 400)
            {
                throw Classify(response, envelope.Error, code, target, envelope.Message, envelope.RequestId);
            }

            if (envelope.Data.ValueKind == JsonValueKind.Undefined || envelope.Data.ValueKind == JsonValueKind.Null)
            {
                throw new KlingApiException(KlingErrorKind.InvalidResponse, Messages.NoData(target))
                { StatusCode = response.StatusCode, Target = target, RequestId = envelope.RequestId, IsRetryable = true, OutcomeUnknown = isCreate };
            }
            return (envelope.Data, envelope.RequestId);
        }

        /// <summary>
        /// Throws unless <paramref name="response"/> carries a video: an error in the API's own JSON (a Kling code or a gateway
        /// error) is read like an API answer, so that account codes (1100-1102) are not retried and the service's words reach the
        /// user; 429 and 5xx may pass; a page or a JSON body with 200 (a proxy's error page, a gateway hiccup) is never a video.
        /// </summary>
        public static async Task CheckVideoAsync(HttpResponseMessage response, string target, Uri baseUri, CancellationToken ct)
        {
            var status = (int)response.StatusCode;
            var mediaType = response.Content?.Headers.ContentType?.MediaType ?? string.Empty;
            var isJson = mediaType.IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0;
            if (status >= 400 && isJson) await ReadAsync(response, target, baseUri, false, ct).ConfigureAwait(false);
            if (status == 429 || status >= 500)
                throw new KlingApiException(status == 429 ? KlingErrorKind.RateLimited : KlingErrorKind.ServiceUnavailable, Messages.DownloadFailed(target, status))
                { StatusCode = response.StatusCode, IsRetryable = true, RetryAfter = RetryAfterOf(response), Target = target };
            if (!response.IsSuccessStatusCode)
                throw new KlingApiException(status == 404 || status == 410 ? KlingErrorKind.NotFound : KlingErrorKind.InvalidResponse, Messages.DownloadFailed(target, status))
                { StatusCode = response.StatusCode, Target = target };
            if (isJson || mediaType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0)
                throw new KlingApiException(KlingErrorKind.InvalidResponse, Messages.NotAVideo(target, status, mediaType))
                { StatusCode = response.StatusCode, IsRetryable = true, Target = target };
        }

        private static KlingApiException Classify(HttpResponseMessage response, GatewayError? gateway, int? klingCode, string target,
            string? klingMessage = null, string? requestId = null)
        {
            var status = (int)response.StatusCode;
            var gatewayCode = gateway == null ? null : ReadString(gateway.Code);
            var message = gateway?.Message ?? klingMessage;
            // CometAPI's gateway has no request_id field: it ends its message with "(request id: ...)".
            var gatewayId = requestId == null && message != null ? GatewayRequestId.Match(message) : Match.Empty;
            if (gatewayId.Success)
            {
                requestId = gatewayId.Groups[1].Value;
                message = message!.Substring(0, gatewayId.Index);
            }
            var kind = klingCode.HasValue && klingCode.Value != 0 ? KindOfKlingCode(klingCode.Value, status) : KindOfStatus(status, gatewayCode);
            var retryable = IsRetryable(kind, status, klingCode, gatewayCode);
            var codeText = klingCode.HasValue && klingCode.Value != 0 ? klingCode.Value.ToString(CultureInfo.InvariantCulture) : gatewayCode;
            return new KlingApiException(kind, Messages.ServiceError(target, status, codeText, message, requestId))
            {
                StatusCode = response.StatusCode,
                KlingCode = klingCode == 0 ? null : klingCode,
                GatewayCode = string.IsNullOrEmpty(gatewayCode) ? null : gatewayCode,
                ServiceMessage = message,
                RequestId = requestId,
                IsRetryable = retryable,
                // A 5xx may come from a gateway after the service created the task.
                OutcomeUnknown = status >= 500,
                RetryAfter = RetryAfterOf(response),
                Target = target,
            };
        }

        internal static KlingErrorKind KindOfKlingCode(int code, int status)
        {
            if (code >= 1000 && code <= 1004) return KlingErrorKind.Authentication;
            if (code >= 1100 && code <= 1102) return KlingErrorKind.Account;
            if (code == 1103 || code == 1304) return KlingErrorKind.Permission;
            if (code == 1200 || code == 1201) return KlingErrorKind.InvalidRequest;
            if (code == 1202 || code == 1203) return KlingErrorKind.NotFound;
            if (code == 1300 || code == 1301) return KlingErrorKind.Policy;
            if (code == 1302) return KlingErrorKind.RateLimited;
            if (code == 1303) return KlingErrorKind.ConcurrencyLimit;
            if (code >= 5000 && code <= 5002) return KlingErrorKind.ServiceUnavailable;
            return KindOfStatus(status, null);
        }

        internal static KlingErrorKind KindOfStatus(int status, string? gatewayCode)
        {
            switch (status)
            {
                case 400: return KlingErrorKind.InvalidRequest;
                case 401: return KlingErrorKind.Authentication;
                case 403: return KlingErrorKind.Permission;
                case 404: return KlingErrorKind.NotFound;
                case 408: return KlingErrorKind.Timeout;
                case 429: return KlingErrorKind.RateLimited;
            }
            if (status >= 500) return string.Equals(gatewayCode, "invalid_request", StringComparison.OrdinalIgnoreCase)
                ? KlingErrorKind.InvalidRequest : KlingErrorKind.ServiceUnavailable;
            return KlingErrorKind.InvalidResponse;
        }

        /// <summary>The API README's retry table: 429 except account codes, 5xx except invalid_request, 408.</summary>
        internal static bool IsRetryable(KlingErrorKind kind, int status, int? klingCode, string? gatewayCode)
        {
            if (kind == KlingErrorKind.Account || kind == KlingErrorKind.Permission || kind == KlingErrorKind.InvalidRequest
                || kind == KlingErrorKind.Authentication || kind == KlingErrorKind.Policy || kind == KlingErrorKind.NotFound) return false;
            if (status == 429) return true;
            if (status == 500 || status == 502 || status == 503 || status == 504 || status == 524 || status == 408)
                return !string.Equals(gatewayCode, "invalid_request", StringComparison.OrdinalIgnoreCase);
            return kind == KlingErrorKind.ServiceUnavailable || kind == KlingErrorKind.RateLimited || kind == KlingErrorKind.ConcurrencyLimit;
        }

        internal static TimeSpan? RetryAfterOf(HttpResponseMessage response)
        {
            var header = response.Headers.RetryAfter;
            if (header == null) return null;
            if (header.Delta.HasValue) return header.Delta.Value;
            if (header.Date.HasValue)
            {
                var wait = header.Date.Value - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
            return null;
        }

        internal static int? ReadInt(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Number: return e.TryGetInt32(out var i) ? i : (int?)null;
                case JsonValueKind.String: return int.TryParse(e.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : (int?)null;
                default: return null;
            }
        }

        internal static long? ReadLong(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Number: return e.TryGetInt64(out var i) ? i : (long?)null;
                case JsonValueKind.String: return long.TryParse(e.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : (long?)null;
                default: return null;
            }
        }

        /// <summary>Ids and durations arrive as strings or numbers depending on the gateway; keep their text.</summary>
        internal static string? ReadString(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String: return e.GetString();
                case JsonValueKind.Number: return e.GetRawText();
                default: return null;
            }
        }
    }
}
