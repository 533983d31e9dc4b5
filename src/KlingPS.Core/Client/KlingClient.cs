using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;
using KlingPS.Core.Validation;
using KlingPS.Core.Wire;

namespace KlingPS.Core.Client
{
    /// <summary>
    /// The HTTP client of one connection context: submits tasks, queries them, lists them. Retries by
    /// the API README's table; a submission always carries an external_task_id, so that when its
    /// outcome is unknown the task is looked up before anything is sent again. Thread-safe: one
    /// instance serves every concurrent call of a context.
    /// </summary>
    internal sealed class KlingClient : IDisposable
    {
        private readonly HttpClient _http;
        private readonly string _authorization;
        private readonly SlotGate _slots = new SlotGate();

        public KlingClient(KlingClientOptions options)
        {
            Options = options ?? throw new ArgumentNullException(nameof(options));
            BaseUri = NormalizeBaseUri(options.BaseUri);
            _authorization = "Bearer " + options.ApiKey.Reveal();
            _http = new HttpClient(HttpHandlerFactory.Create(options), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
            _http.DefaultRequestHeaders.UserAgent.ParseAdd("KlingPS/" + typeof(KlingClient).Assembly.GetName().Version!.ToString(3));
        }

        public KlingClientOptions Options { get; }
        /// <summary>The service root, ending in '/'.</summary>
        public Uri BaseUri { get; }

        internal HttpClient Http => _http;

        internal string AuthorizationHeader => _authorization;

        /// <summary>Refuses plain HTTP except on loopback, so a key never crosses a network unencrypted.</summary>
        public static Uri NormalizeBaseUri(Uri uri)
        {
            if (uri == null || !uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                throw new ArgumentException(Messages.NotAbsoluteBaseUri(uri?.ToString() ?? string.Empty), nameof(uri));
            if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback) throw new ArgumentException(Messages.InsecureBaseUri(uri), nameof(uri));
            var text = uri.GetLeftPart(UriPartial.Path);
            return new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/");
        }

        /// <summary>True when a URL is on the API's own host, the only place the key may be sent.</summary>
        internal bool IsApiAuthority(Uri url) =>
            string.Equals(url.Scheme, BaseUri.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(url.Host, BaseUri.Host, StringComparison.OrdinalIgnoreCase) && url.Port == BaseUri.Port;

        /// <summary>Creates a task. Idempotent: retries never create a second task.</summary>
        public Task<KlingTask> SubmitAsync(KlingVideoRequest request, KlingCallOptions? call = null, CancellationToken ct = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            // Nothing the service would certainly refuse is sent, or paid for; a request the caller validated is not read twice.
            if (!request.IsValidated) RequestValidator.Validate(request);
            var externalId = request.ExternalTaskId ?? NewExternalTaskId();
            return SubmitCoreAsync(request.Route, () => RequestBody.For(request, externalId), externalId, request.Source, call ?? KlingCallOptions.Default, ct);
        }

        /// <summary>An external_task_id for a submission that has none: unique, and recognisably ours.</summary>
        public static string NewExternalTaskId() => "klingps-" + Guid.NewGuid().ToString("N");

        private async Task<KlingTask> SubmitCoreAsync(KlingRoute route, Func<RequestBody> makeBody, string externalId, string? source,
            KlingCallOptions call, CancellationToken ct)
        {
            var target = "POST " + route.PathSegment() + (source == null ? "" : " (" + SourceName(source) + ")");
            var maxRetries = call.MaximumRetryCount ?? Options.MaximumRetryCount;
            var interval = call.RetryInterval ?? Options.RetryInterval;
            var failures = 0;
            var slotWaits = 0;
            var mayExist = false;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    if (mayExist)
                    {
                        // The last attempt may have created the task: ask before paying twice.
                        call.Say(Messages.CheckingExternalId(target, externalId));
                        var existing = await FindByExternalIdAsync(route, externalId, call, ct).ConfigureAwait(false);
                        if (existing != null)
                        {
                            call.Say(Messages.FoundExisting(target, existing.TaskId, externalId));
                            return existing.WithSource(source);
                        }
                        mayExist = false;
                    }
                    await _slots.WaitOpenAsync(ct).ConfigureAwait(false);
                    KlingTask task;
                    try
                    {
                        using var body = makeBody();
                        task = await SendOnceAsync(HttpMethod.Post, "kling/v1/videos/" + route.PathSegment(), body, route, target, true, ct).ConfigureAwait(false);
                    }
                    catch (Exception e) when (!(e is KlingApiException k && k.Kind == KlingErrorKind.ConcurrencyLimit))
                    {
                        _slots.Done(); // not a 1303: whatever it was, the next waiting submission may try
                        throw;
                    }
                    _slots.Done();
                    call.Say($"{target}: created task {task.TaskId} (external id {externalId}).");
                    return task.WithSource(source);
                }
                catch (KlingApiException e) when (e.Kind == KlingErrorKind.InvalidRequest && IsDuplicateExternalId(e))
                {
                    // The service already has a task with this id: from an earlier run, or from an attempt
                    // whose answer was lost. Either way that task is the one this submission means.
                    var existing = await FindByExternalIdAsync(route, externalId, call, ct).ConfigureAwait(false);
                    if (existing == null) throw;
                    call.Say(Messages.FoundExisting(target, existing.TaskId, externalId));
                    return existing.WithSource(source);
                }
                catch (KlingApiException e) when (e.Kind == KlingErrorKind.ConcurrencyLimit)
                {
                    // Not a failure: the account is busy. Wait for one of its tasks to end, however long it takes.
                    var delay = Backoff.Delay(Math.Min(slotWaits++, 5), interval, Options.MaximumRetryDelay, e.RetryAfter);
                    call.Say(Messages.WaitingForSlot(target, delay));
                    _slots.Refused(delay); // the loop waits at the gate, then sends again
                }
                catch (KlingApiException e) when (e.IsRetryable && failures < maxRetries)
                {
                    failures++;
                    mayExist |= e.OutcomeUnknown;
                    var delay = Backoff.Delay(failures - 1, interval, Options.MaximumRetryDelay, e.RetryAfter);
                    call.Say(Messages.Retrying(target, e.Message, failures, maxRetries, delay));
                    await Task.Delay(delay, ct).ConfigureAwait(false);
                }
                catch (KlingApiException e) when (e.OutcomeUnknown || mayExist)
                {
                    throw new KlingApiException(e.Kind, Messages.OutcomeStillUnknown(target, externalId, e.Message), e)
                    {
                        StatusCode = e.StatusCode, KlingCode = e.KlingCode, GatewayCode = e.GatewayCode, ServiceMessage = e.ServiceMessage,
                        RequestId = e.RequestId, IsRetryable = e.IsRetryable, OutcomeUnknown = true, Target = target,
                    };
                }
            }
        }

        private static bool IsDuplicateExternalId(KlingApiException e) =>
            e.ServiceMessage != null && e.ServiceMessage.IndexOf("external_task_id", StringComparison.OrdinalIgnoreCase) >= 0
            && (e.ServiceMessage.IndexOf("exist", StringComparison.OrdinalIgnoreCase) >= 0 || e.ServiceMessage.IndexOf("duplicat", StringComparison.OrdinalIgnoreCase) >= 0);

        private static string SourceName(string source) =>
            source.IndexOf("://", StringComparison.Ordinal) >= 0 ? source : Path.GetFileName(source);

        /// <summary>Queries one task by its task id (or external id) on the route that created it.</summary>
        public Task<KlingTask> GetTaskAsync(KlingRoute route, string id, KlingCallOptions? call = null, CancellationToken ct = default)
        {
            if (string.IsNullOrWhiteSpace(id)) throw new ArgumentException("A task id is required.", nameof(id));
            var path = "kling/v1/videos/" + route.PathSegment() + "/" + Uri.EscapeDataString(id.Trim());
            return WithRetryAsync(() => SendOnceAsync(HttpMethod.Get, path, null, route, "GET task " + id, false, ct), call ?? KlingCallOptions.Default, ct);
        }

        /// <summary>Finds a task by its external_task_id; null when the service has none.</summary>
        public async Task<KlingTask?> FindByExternalIdAsync(KlingRoute route, string externalTaskId, KlingCallOptions? call = null, CancellationToken ct = default)
        {
            try
            {
                return await GetTaskAsync(route, externalTaskId, call, ct).ConfigureAwait(false);
            }
            catch (KlingApiException e) when (e.Kind == KlingErrorKind.NotFound)
            {
                return null;
            }
        }

        /// <summary>One page of a route's tasks, newest first (GET /kling/v1/videos/{route}?pageNum&amp;pageSize).</summary>
        public Task<IReadOnlyList<KlingTask>> ListTasksAsync(KlingRoute route, int pageNumber = 1, int pageSize = 30,
            KlingCallOptions? call = null, CancellationToken ct = default)
        {
            if (pageNumber < 1 || pageNumber > 1000) throw new ArgumentOutOfRangeException(nameof(pageNumber), pageNumber, "1 to 1000");
            if (pageSize < 1 || pageSize > 500) throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "1 to 500");
            var path = "kling/v1/videos/" + route.PathSegment() + "?pageNum=" + pageNumber.ToString(CultureInfo.InvariantCulture)
                + "&pageSize=" + pageSize.ToString(CultureInfo.InvariantCulture);
            var target = "GET " + route.PathSegment() + " list";
            return WithRetryAsync(async () =>
            {
                var (data, requestId) = await SendAsync(HttpMethod.Get, path, null, KlingJson.Context.EnvelopeListTaskData, target, false, ct).ConfigureAwait(false);
                return (IReadOnlyList<KlingTask>)data.Select(d => TaskMapper.ToTask(d, route, requestId, null)).ToList();
            }, call ?? KlingCallOptions.Default, ct);
        }

        private readonly bool?[] _listSupport = new bool?[2];

        /// <summary>Whether the service answered the list endpoint of a route: null until tried.</summary>
        internal bool? ListSupport(KlingRoute route) { lock (_listSupport) return _listSupport[(int)route]; }

        internal void SetListSupport(KlingRoute route, bool supported) { lock (_listSupport) _listSupport[(int)route] = supported; }

        /// <summary>Tells the client that one of the account's tasks ended, so a submission waiting for a slot tries now.</summary>
        public void NotifyTaskFinished() => _slots.Released();

        private async Task<T> WithRetryAsync<T>(Func<Task<T>> attempt, KlingCallOptions call, CancellationToken ct)
        {
            var maxRetries = call.MaximumRetryCount ?? Options.MaximumRetryCount;
            var interval = call.RetryInterval ?? Options.RetryInterval;
            for (var failures = 0; ; failures++)
            {
                try
                {
                    return await attempt().ConfigureAwait(false);
                }
                catch (KlingApiException e) when (e.IsRetryable && failures < maxRetries)
                {
                    var delay = Backoff.Delay(failures, interval, Options.MaximumRetryDelay, e.RetryAfter);
                    call.Say(Messages.Retrying(e.Target ?? "request", e.Message, failures + 1, maxRetries, delay));
                    await Task.Delay(delay, ct).ConfigureAwait(false);
                }
            }
        }

        private async Task<KlingTask> SendOnceAsync(HttpMethod method, string path, HttpContent? body, KlingRoute route, string target,
            bool isCreate, CancellationToken ct)
        {
            var (data, requestId) = await SendAsync(method, path, body, KlingJson.Context.EnvelopeTaskData, target, isCreate, ct).ConfigureAwait(false);
            return TaskMapper.ToTask(data, route, requestId, null);
        }

        private async Task<(T Data, string? RequestId)> SendAsync<T>(HttpMethod method, string path, HttpContent? body,
            System.Text.Json.Serialization.Metadata.JsonTypeInfo<Envelope<T>> typeInfo, string target, bool isCreate, CancellationToken ct) where T : class
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Options.RequestTimeout);
            using var request = new HttpRequestMessage(method, new Uri(BaseUri, path)) { Content = body };
            request.Headers.TryAddWithoutValidation("Authorization", _authorization);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            var sent = false;
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                sent = true;
                return await ResponseReader.ReadAsync(response, typeInfo, target, BaseUri, isCreate, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw new KlingApiException(KlingErrorKind.Timeout, Messages.Timeout(target, Options.RequestTimeout), e)
                { IsRetryable = true, OutcomeUnknown = isCreate, Target = target };
            }
            catch (Exception e) when (e is HttpRequestException || (e is IOException && sent))
            {
                // Whether the body reached the service before the connection dropped cannot be known.
                throw new KlingApiException(KlingErrorKind.Network, Messages.NetworkError(target, Describe(e)), e)
                { IsRetryable = true, OutcomeUnknown = isCreate, Target = target };
            }
        }

        private static string Describe(Exception e)
        {
            var parts = new List<string>();
            for (var x = e; x != null; x = x.InnerException) if (!parts.Contains(x.Message)) parts.Add(x.Message);
            return string.Join(" ", parts);
        }

        public void Dispose() => _http.Dispose();
    }
}
