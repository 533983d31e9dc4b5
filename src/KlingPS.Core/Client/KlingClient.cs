using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;
using KlingPS.Core.Validation;

namespace KlingPS.Core.Client
{
    /// <summary>
    /// The client of one connection context: submits tasks, queries and lists them, and opens their videos. Every call goes
    /// through the one retry loop (<see cref="RetriedRequest{T}"/>); a submission always carries an external_task_id, so that
    /// when its outcome is unknown the task is looked up before anything is sent again. The client keeps what its calls
    /// teach: whether the service lists tasks, which of the account's tasks run, and how many the account allows at once
    /// (<see cref="SlotGate"/>). Thread-safe: one instance serves every concurrent call of a context.
    /// </summary>
    internal sealed class KlingClient : IDisposable
    {
        private const string VideosPath = "kling/v1/videos/";
        /// <summary>The slot gate's own queries: a failure waits for its next look, not for retries.</summary>
        private static readonly KlingCallOptions SlotCheck = new KlingCallOptions { MaximumRetryCount = 0 };
        private readonly ServiceHttp _http;
        private readonly RunningTasks _running = new RunningTasks();
        private readonly bool?[] _listSupport = new bool?[2];

        public KlingClient(KlingClientOptions options)
        {
            Options = options ?? throw new ArgumentNullException(nameof(options));
            BaseUri = NormalizeBaseUri(options.BaseUri);
            _http = new ServiceHttp(options, BaseUri);
            Slots = new SlotGate(_running, options, LookAsync);
        }

        public KlingClientOptions Options { get; }
        /// <summary>The service root, ending in '/'.</summary>
        public Uri BaseUri { get; }

        /// <summary>Shared by all submissions: after a 1303 it sends no more creates than the account allows.</summary>
        internal SlotGate Slots { get; }

        /// <summary>Refuses plain HTTP except on loopback, so a key never crosses a network unencrypted.</summary>
        public static Uri NormalizeBaseUri(Uri uri)
        {
            if (uri == null || !uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                throw new ArgumentException(Messages.NotAbsoluteBaseUri(uri?.ToString() ?? string.Empty), nameof(uri));
            if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback) throw new ArgumentException(Messages.InsecureBaseUri(uri), nameof(uri));
            var text = uri.GetLeftPart(UriPartial.Path);
            return new Uri(text.EndsWith("/", StringComparison.Ordinal) ? text : text + "/");
        }

        /// <summary>
        /// Creates a task. Idempotent: retries never create a second task, and a request with the caller's external id is
        /// first looked up by it (one GET): a task found is given back and nothing is uploaded.
        /// </summary>
        public Task<KlingTask> SubmitAsync(KlingVideoRequest request, KlingCallOptions? call = null, CancellationToken ct = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            return SubmitAsync(request, request.ExternalTaskId ?? ExternalTaskIds.New(), request.ExternalTaskId != null, call, ct);
        }

        /// <summary>Creates a task with <paramref name="externalTaskId"/>; with <paramref name="lookUpFirst"/>, a task that has it already is given back.</summary>
        internal Task<KlingTask> SubmitAsync(KlingVideoRequest request, string externalTaskId, bool lookUpFirst, KlingCallOptions? call, CancellationToken ct)
        {
            // Nothing the service would certainly refuse is sent, or paid for; a request the caller validated is not read twice.
            if (!request.IsValidated) RequestValidator.Validate(request);
            return new Submission(this, request, externalTaskId, lookUpFirst, Retries(call)).RunAsync(ct);
        }

        /// <summary>Queries one task by its task id (or external id) on the route that created it.</summary>
        /// <exception cref="KlingValidationException">TaskIdInvalid: the id is empty, "." or "..", and nothing was sent.</exception>
        public Task<KlingTask> GetTaskAsync(KlingRoute route, string id, KlingCallOptions? call = null, CancellationToken ct = default)
        {
            id = TaskIds.Checked(id, id);
            var path = VideosPath + route.PathSegment() + "/" + Uri.EscapeDataString(id);
            var target = "GET task " + id;
            return new RetriedRequest<KlingTask>(target, Retries(call), async attempt =>
            {
                var (data, requestId) = await _http.SendAsync(HttpMethod.Get, path, null, target, false, attempt).ConfigureAwait(false);
                return Saw(Read(data, route, requestId, target), mayAdd: true);
            }).RunAsync(ct);
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

        /// <summary>
        /// One page of a route's tasks, newest first (GET /kling/v1/videos/{route}?pageNum&amp;pageSize); an entry that cannot be
        /// read is an error of its own in the page, and the others are read.
        /// </summary>
        public Task<TaskPage> ListTasksAsync(KlingRoute route, int pageNumber = 1, int pageSize = 30,
            KlingCallOptions? call = null, CancellationToken ct = default)
        {
            if (pageNumber < 1 || pageNumber > 1000) throw new ArgumentOutOfRangeException(nameof(pageNumber), pageNumber, "1 to 1000");
            if (pageSize < 1 || pageSize > 500) throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "1 to 500");
            var path = VideosPath + route.PathSegment() + "?pageNum=" + pageNumber.ToString(CultureInfo.InvariantCulture)
                + "&pageSize=" + pageSize.ToString(CultureInfo.InvariantCulture);
            var target = "GET " + route.PathSegment() + " list";
            return new RetriedRequest<TaskPage>(target, Retries(call), async attempt =>
            {
                var (data, requestId) = await _http.SendAsync(HttpMethod.Get, path, null, target, false, attempt).ConfigureAwait(false);
                if (data.ValueKind != JsonValueKind.Array)
                    throw new KlingApiException(KlingErrorKind.InvalidResponse, Messages.MalformedJson(target, 200, "data is not a list of tasks"))
                    { Target = target, RequestId = requestId, IsRetryable = true };
                var tasks = new List<KlingTask>();
                var failures = new List<KlingApiException>();
                foreach (var entry in data.EnumerateArray())
                {
                    try
                    {
                        tasks.Add(Saw(Read(entry, route, requestId, target), mayAdd: false));
                    }
                    catch (KlingApiException e)
                    {
                        failures.Add(e);
                    }
                }
                return new TaskPage(tasks, failures);
            }).RunAsync(ct);
        }

        /// <summary>
        /// The newest page (500) of a route's tasks, for updating many tasks with one request. Null when the service has no list
        /// endpoint (learned on the first call, then remembered by this client) or when listing failed this time: the caller
        /// then queries its tasks one by one.
        /// </summary>
        /// <remarks>A task whose entry cannot be read is left out: the caller's own query of it tells what is wrong.</remarks>
        public async Task<IReadOnlyList<KlingTask>?> TryListTasksAsync(KlingRoute route, KlingCallOptions? call = null, CancellationToken ct = default)
        {
            call ??= KlingCallOptions.Default;
            var known = ListSupport(route);
            if (known == false) return null;
            try
            {
                // The answer that means "no list here" (the gateway's website) is one the client retries: detecting with retries
                // would hold up the first round of polls for the whole backoff, and send more requests.
                var once = new KlingCallOptions { Verbose = call.Verbose, MaximumRetryCount = 0, RetryInterval = call.RetryInterval };
                var page = await ListTasksAsync(route, 1, 500, known == null ? once : call, ct).ConfigureAwait(false);
                if (ListSupport(route) == null) call.Say($"The service lists {route} tasks: one request polls them all.");
                SetListSupport(route, true);
                return page.Tasks;
            }
            catch (KlingApiException e) when (e.Cause == FailureCause.Unspecified
                && (e.Kind == KlingErrorKind.NotFound || e.Kind == KlingErrorKind.InvalidResponse || e.Kind == KlingErrorKind.InvalidRequest))
            {
                if (ListSupport(route) == null)
                {
                    SetListSupport(route, false);
                    call.Say($"The service has no task list for {route} ({e.Message}); polling tasks one by one.");
                }
                return null;
            }
            catch (KlingApiException)
            {
                return null; // a passing failure; single-task queries take over this round
            }
        }

        /// <summary>
        /// Opens a video from <paramref name="fromByte"/> on: the response of a video body (2xx, not a page or JSON), its
        /// redirects followed; an error answer is classified like an API answer. The caller disposes the response.
        /// </summary>
        public async Task<HttpResponseMessage> OpenVideoAsync(Uri url, long fromByte, CancellationToken ct)
        {
            if (url == null) throw new ArgumentNullException(nameof(url));
            var target = Messages.DownloadTarget(url);
            var response = await _http.GetFileAsync(url, fromByte, target, ct).ConfigureAwait(false);
            try
            {
                await ResponseReader.CheckVideoAsync(response, target, BaseUri, ct).ConfigureAwait(false);
                return response;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }

        /// <summary>
        /// One create request (for <see cref="Submission"/>, which retries it). An answer without a task id is an error that
        /// names <paramref name="externalId"/>, never a task without one.
        /// </summary>
        internal async Task<KlingTask> CreateAsync(KlingRoute route, HttpContent body, string target, string externalId, CancellationToken ct)
        {
            var (data, requestId) = await _http.SendAsync(HttpMethod.Post, VideosPath + route.PathSegment(), body, target, true, ct).ConfigureAwait(false);
            try
            {
                return Saw(TaskMapper.ToTask(data, route, requestId), mayAdd: true);
            }
            catch (TaskFieldException e) when (e.Field == "task_id" || e.Field == "data")
            {
                throw AnswerErrors.MissingTaskId(target, externalId, requestId);
            }
            catch (TaskFieldException e)
            {
                throw AnswerErrors.BadField(target, e, requestId, isCreate: true);
            }
        }

        /// <summary>The task ids this client's submissions got, to tell a repeated one from a new task.</summary>
        internal SubmittedTaskIds Submitted { get; } = new SubmittedTaskIds();

        private static KlingTask Read(JsonElement data, KlingRoute route, string? requestId, string target)
        {
            try
            {
                return TaskMapper.ToTask(data, route, requestId);
            }
            catch (TaskFieldException e)
            {
                throw AnswerErrors.BadField(target, e, requestId, isCreate: false);
            }
        }

        internal RetrySettings Retries(KlingCallOptions? call) => new RetrySettings(Options, call ?? KlingCallOptions.Default);

        /// <summary>Every answer passes here: a task of this client seen final frees a slot for a submission the gate holds.</summary>
        private KlingTask Saw(KlingTask task, bool mayAdd)
        {
            if (_running.Saw(task, mayAdd)) Slots.Released();
            return task;
        }

        /// <summary>The slot gate's look: one list where the route is known to list, else a query per task, all at once. A failure is only no answer.</summary>
        private async Task LookAsync(IReadOnlyList<RunningTask> tasks, CancellationToken ct)
        {
            foreach (var route in tasks.GroupBy(t => t.Route))
            {
                if (ListSupport(route.Key) == true && await TryListTasksAsync(route.Key, SlotCheck, ct).ConfigureAwait(false) != null) continue;
                await Task.WhenAll(route.Select(async task =>
                {
                    try
                    {
                        await GetTaskAsync(task.Route, task.TaskId, SlotCheck, ct).ConfigureAwait(false);
                    }
                    catch (KlingApiException)
                    {
                        // asked again at a later look
                    }
                })).ConfigureAwait(false);
            }
        }

        private bool? ListSupport(KlingRoute route) { lock (_listSupport) return _listSupport[(int)route]; }

        private void SetListSupport(KlingRoute route, bool supported) { lock (_listSupport) _listSupport[(int)route] = supported; }

        public void Dispose()
        {
            Slots.Dispose();
            _http.Dispose();
        }
    }
}
