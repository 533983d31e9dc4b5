using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Errors;

namespace KlingPS.Core.Client
{
    /// <summary>
    /// The HTTP of one client: one HttpClient for its API calls and one for files (whose bodies are never decompressed), the
    /// key in the Authorization header of requests to the API's own host and nowhere else, and the request timeout around
    /// each exchange. Transport failures become <see cref="KlingApiException"/>s that say whether a create may have reached
    /// the service.
    /// </summary>
    internal sealed class ServiceHttp : IDisposable
    {
        private const int MaximumRedirects = 5;
        private readonly HttpClient _http;
        private readonly HttpClient _files;
        private readonly string _authorization;
        private readonly Uri _baseUri;
        private readonly TimeSpan _timeout;

        public ServiceHttp(KlingClientOptions options, Uri baseUri)
        {
            _baseUri = baseUri;
            _timeout = options.RequestTimeout;
            _authorization = "Bearer " + options.ApiKey.Reveal();
            _http = new HttpClient(HttpHandlerFactory.Create(options), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
            _http.DefaultRequestHeaders.UserAgent.ParseAdd("KlingPS/" + typeof(ServiceHttp).Assembly.GetName().Version!.ToString(3));
            _files = new HttpClient(HttpHandlerFactory.Create(options, decompress: false), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
            _files.DefaultRequestHeaders.UserAgent.ParseAdd("KlingPS/" + typeof(ServiceHttp).Assembly.GetName().Version!.ToString(3));
            _files.DefaultRequestHeaders.AcceptEncoding.ParseAdd("identity");
        }

        /// <summary>One exchange with the API: its answer's data and request id, or a classified error (ResponseReader).</summary>
        public async Task<(JsonElement Data, string? RequestId)> SendAsync(HttpMethod method, string path, HttpContent? body,
            string target, bool isCreate, CancellationToken ct)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(_timeout);
            using var request = new HttpRequestMessage(method, new Uri(_baseUri, path)) { Content = body };
            request.Headers.TryAddWithoutValidation("Authorization", _authorization);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            var sent = false;
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                sent = true;
                return await ResponseReader.ReadAsync(response, target, _baseUri, isCreate, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw new KlingApiException(KlingErrorKind.Timeout, Messages.Timeout(target, _timeout), e)
                { IsRetryable = true, OutcomeUnknown = isCreate, Target = target };
            }
            catch (Exception e) when (e is HttpRequestException || (e is IOException && sent))
            {
                // Whether the body reached the service before the connection dropped cannot be known.
                throw new KlingApiException(KlingErrorKind.Network, Messages.NetworkError(target, Describe(e)), e)
                { IsRetryable = true, OutcomeUnknown = isCreate, Target = target };
            }
        }

        /// <summary>
        /// A GET of a file from <paramref name="fromByte"/> on (Range), following up to 5 redirects: result URLs live on a CDN, and
        /// the key goes only to the API's own host. The headers are awaited within the request timeout; the body is the caller's.
        /// </summary>
        public async Task<HttpResponseMessage> GetFileAsync(Uri url, long fromByte, string target, CancellationToken ct)
        {
            for (var hops = 0; ; hops++)
            {
                HttpResponseMessage response;
                using (var request = new HttpRequestMessage(HttpMethod.Get, url))
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    if (fromByte > 0) request.Headers.Range = new RangeHeaderValue(fromByte, null);
                    if (IsApiAuthority(url)) request.Headers.TryAddWithoutValidation("Authorization", _authorization);
                    timeout.CancelAfter(_timeout);
                    try
                    {
                        response = await _files.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
                    {
                        throw new KlingApiException(KlingErrorKind.Timeout, Messages.Timeout(target, _timeout), e) { IsRetryable = true, Target = target };
                    }
                    catch (HttpRequestException e)
                    {
                        throw new KlingApiException(KlingErrorKind.Network, Messages.NetworkError(target, e.Message), e) { IsRetryable = true, Target = target };
                    }
                }
                var status = (int)response.StatusCode;
                if (status < 300 || status >= 400 || response.Headers.Location == null || hops >= MaximumRedirects) return response;
                url = new Uri(url, response.Headers.Location);
                response.Dispose();
            }
        }

        /// <summary>True when a URL is on the API's own host, the only place the key may be sent.</summary>
        private bool IsApiAuthority(Uri url) =>
            string.Equals(url.Scheme, _baseUri.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(url.Host, _baseUri.Host, StringComparison.OrdinalIgnoreCase) && url.Port == _baseUri.Port;

        private static string Describe(Exception e)
        {
            var parts = new List<string>();
            for (var x = e; x != null; x = x.InnerException) if (!parts.Contains(x.Message)) parts.Add(x.Message);
            return string.Join(" ", parts);
        }

        public void Dispose()
        {
            _http.Dispose();
            _files.Dispose();
        }
    }
}
