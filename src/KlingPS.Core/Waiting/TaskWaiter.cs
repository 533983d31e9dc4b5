using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Client;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;
using KlingPS.Core.Validation;

namespace KlingPS.Core.Waiting
{
    /// <summary>
    /// Waits for many tasks at once, each polled when <see cref="PollPlan"/> says (near its expected end, learned from the
    /// tasks of this run that finished). Where the service has the list endpoint, one request updates every task of a route
    /// (the client knows whether it has one); single-task queries are the fallback. At the timeout, the polls in flight end
    /// and one last, short poll makes the status reported for each task still running fresh. Callbacks come from a
    /// background thread.
    /// </summary>
    internal sealed class TaskWaiter
    {
        private readonly KlingClient _client;
        private readonly WaitOptions _options;
        private readonly PollPlan _plan;
        private readonly object _lock = new object();
        private readonly Dictionary<string, WaitEntry> _entries = new Dictionary<string, WaitEntry>();
        private TaskCompletionSource<bool> _wake = NewSignal();
        private bool _completed;

        public TaskWaiter(KlingClient client, WaitOptions? options = null)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _options = options ?? new WaitOptions();
            _plan = new PollPlan(_options);
        }

        /// <summary>A task reached Succeeded or Failed.</summary>
        public event Action<KlingTask>? Finished;
        /// <summary>A task's status changed (for -Verbose).</summary>
        public event Action<KlingTask, KlingTaskStatus>? StatusChanged;
        /// <summary>A task was still running when the timeout came (as the last poll showed it).</summary>
        public event Action<KlingTask>? TimedOut;
        /// <summary>A task's query failed in a way trying again cannot fix (wrong key, account, unknown task): its wait ends with the error.</summary>
        public event Action<KlingTask, KlingApiException>? QueryFailed;
        /// <summary>A round of polls ended: the counts of <see cref="Progress"/> are fresh.</summary>
        public event Action? Polled;

        /// <summary>The tasks by where they are, as last seen.</summary>
        public WaitProgress Progress
        {
            get
            {
                int submitted = 0, processing = 0, succeeded = 0, failed = 0, timedOut = 0;
                lock (_lock)
                {
                    foreach (var e in _entries.Values)
                    {
                        if (e.TimedOut) timedOut++;
                        else if (e.Task.Status == KlingTaskStatus.Succeeded) succeeded++;
                        else if (e.Task.Status == KlingTaskStatus.Failed || e.Done) failed++;
                        else if (e.Task.Status == KlingTaskStatus.Processing) processing++;
                        else submitted++;
                    }
                }
                return new WaitProgress(submitted, processing, succeeded, failed, timedOut);
            }
        }

        /// <summary>Adds a task to wait for; a task that is already final is reported at once by the running loop.</summary>
        /// <exception cref="KlingValidationException">TaskIdInvalid: the task's id could never be queried.</exception>
        public void Add(KlingTask task)
        {
            if (task == null) throw new ArgumentNullException(nameof(task));
            TaskIds.Checked(task.TaskId, task);
            lock (_lock)
            {
                if (_completed) throw new InvalidOperationException("No task can be added after Complete().");
                if (_entries.ContainsKey(Key(task))) return;
                var entry = new WaitEntry(task, DateTime.UtcNow);
                _entries[Key(task)] = entry;
                // An older task than the one probing for the others takes over the probing.
                if (_plan.Pilot(_entries.Values) == entry) Replan();
                else entry.NextPollAt = _plan.Next(entry, isPilot: false);
            }
            Wake();
        }

        /// <summary>Says that no more tasks will be added: RunAsync returns once the added ones are final.</summary>
        public void Complete()
        {
            lock (_lock) _completed = true;
            Wake();
        }

        /// <summary>Polls until every task is final (or timed out) and Complete() was called.</summary>
        public async Task RunAsync(CancellationToken ct)
        {
            var deadline = _options.Timeout.HasValue ? DateTime.UtcNow + _options.Timeout.Value : DateTime.MaxValue;
            // The timeout ends polls in flight too: a query that stalls must not hold the wait past it.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (_options.Timeout.HasValue) timeout.CancelAfter(_options.Timeout.Value);
            var lastPollDone = false;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                List<WaitEntry> pending;
                Task wake;
                lock (_lock)
                {
                    pending = _entries.Values.Where(e => !e.Done).ToList();
                    wake = _wake.Task;
                    if (pending.Count == 0 && _completed) return;
                }

                // Tasks that arrive final (e.g. from Get-KlingTask) need no request. Then start over: Complete() may have
                // come meanwhile, and its wake-up was spent on the Add, so sleeping now could never end.
                var arrivedFinal = pending.Where(e => e.Task.IsFinal).ToList();
                if (arrivedFinal.Count > 0)
                {
                    foreach (var e in arrivedFinal) Observe(e, e.Task, asked: true);
                    continue;
                }

                var now = DateTime.UtcNow;
                if (now >= deadline || timeout.IsCancellationRequested)
                {
                    // One last look, so that no task is reported still running on news older than the deadline. Tasks that
                    // arrive later have just been fetched (or created).
                    if (!lastPollDone && pending.Count > 0) await LastPollAsync(pending, ct).ConfigureAwait(false);
                    lastPollDone = true;
                    foreach (var e in pending) MarkTimedOut(e);
                    lock (_lock) { if (_completed) return; }
                    await Task.WhenAny(wake, Task.Delay(Timeout.Infinite, ct)).ConfigureAwait(false);
                    lock (_lock) { if (_wake.Task == wake && wake.IsCompleted) _wake = NewSignal(); }
                    continue;
                }

                var due = pending.Where(e => e.NextPollAt <= now).ToList();
                if (due.Count > 0)
                {
                    try
                    {
                        await PollAsync(due, _options.Call, timeout.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        // The timeout came while polling: the next turn takes the last look.
                    }
                    Polled?.Invoke();
                    continue;
                }

                var next = pending.Count == 0 ? deadline : pending.Min(e => e.NextPollAt);
                if (next > deadline) next = deadline;
                var sleep = next == DateTime.MaxValue ? Timeout.InfiniteTimeSpan : Max(next - now, TimeSpan.FromMilliseconds(1));
                await Task.WhenAny(wake, Task.Delay(sleep, ct)).ConfigureAwait(false);
                lock (_lock) { if (_wake.Task == wake && wake.IsCompleted) _wake = NewSignal(); }
            }
        }

        /// <summary>A poll of the tasks still running at the timeout: no retries, and no longer than the final poll limit.</summary>
        private async Task LastPollAsync(List<WaitEntry> pending, CancellationToken ct)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(_options.FinalPollLimit);
            var once = new KlingCallOptions { Verbose = _options.Call.Verbose, MaximumRetryCount = 0, RetryInterval = _options.Call.RetryInterval };
            try
            {
                await PollAsync(pending, once, limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // What the last look did not reach in time is reported as last seen.
            }
        }

        private async Task PollAsync(List<WaitEntry> due, KlingCallOptions call, CancellationToken ct)
        {
            var remaining = new List<WaitEntry>(due);
            if (_options.UseListEndpoint)
            {
                foreach (var group in due.GroupBy(e => e.Task.Route).ToList())
                {
                    var seen = await _client.TryListTasksAsync(group.Key, call, ct).ConfigureAwait(false);
                    if (seen == null) continue;
                    // A list answer updates every task it shows, due or not: the request is paid for.
                    var updates = new List<(WaitEntry, KlingTask)>();
                    lock (_lock)
                    {
                        foreach (var task in seen)
                            if (_entries.TryGetValue(Key(task), out var entry) && !entry.Done) updates.Add((entry, task));
                    }
                    var asked = new HashSet<WaitEntry>(group);
                    foreach (var (entry, task) in updates) Observe(entry, task, asked.Contains(entry));
                    remaining.RemoveAll(e => e.Task.Route == group.Key && seen.Any(t => t.TaskId == e.Task.TaskId));
                }
            }

            using var gate = new SemaphoreSlim(Math.Max(1, _options.MaximumParallelQueries));
            await Task.WhenAll(remaining.Select(async e =>
            {
                await gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    var fresh = await _client.GetTaskAsync(e.Task.Route, e.Task.TaskId, call, ct).ConfigureAwait(false);
                    Observe(e, fresh, asked: true);
                }
                catch (KlingApiException x) when (!x.IsRetryable || x.Cause == FailureCause.AnswerTooLarge || x.Cause == FailureCause.BadTaskField)
                {
                    // Polling on would only repeat the same refusal, or the same unusable answer about this task after the
                    // retries, for ever when no timeout was given. The other tasks go on.
                    MarkQueryFailed(e, x);
                }
                catch (KlingApiException x)
                {
                    // A query that still fails after its retries is not the task failing: try again later.
                    call.Say($"Task {e.Task.TaskId}: could not query it ({x.Message}); trying again later.");
                    lock (_lock) e.NextPollAt = DateTime.UtcNow + Max(_options.MinimumPollInterval, Min(_options.MaximumPollInterval, TimeSpan.FromTicks(_options.MinimumPollInterval.Ticks * 5)));
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false);
        }

        /// <summary>
        /// Takes in an answer about the task. One it was not <paramref name="asked"/> for (a list answer polled for other tasks)
        /// keeps its own schedule: counted as its poll, each list would stretch its gaps and see its end late.
        /// </summary>
        private void Observe(WaitEntry entry, KlingTask fresh, bool asked)
        {
            Action? notify = null;
            lock (_lock)
            {
                if (entry.Done) return;
                var before = entry.Task.Status;
                entry.Task = entry.Task.Sources.Count > 0 ? fresh.WithSources(entry.Task.Sources) : fresh;
                entry.LastSeenAt = DateTime.UtcNow;
                if (fresh.Status == KlingTaskStatus.Processing && entry.ProcessingSince == null) entry.ProcessingSince = fresh.UpdatedAt?.UtcDateTime;
                var task = entry.Task;
                if (fresh.IsFinal)
                {
                    entry.Done = true;
                    // What it took says when the others end; and a pilot that ended hands the probing on.
                    if (_plan.Learn(entry, fresh) || _plan.Pilot(_entries.Values) != null) Replan();
                    notify = () => Finished?.Invoke(task);
                }
                else
                {
                    if (asked)
                    {
                        entry.Polls++;
                        var end = _plan.ExpectedEnd(entry);
                        if (end.HasValue && entry.LastSeenAt >= end.Value) entry.PollsPastExpectedEnd++;
                    }
                    // A new status moves the expected end (processing has begun), however it was heard of.
                    if (asked || before != fresh.Status) entry.NextPollAt = _plan.Next(entry, _plan.Pilot(_entries.Values) == entry);
                    if (before != fresh.Status) notify = () => StatusChanged?.Invoke(task, before);
                }
            }
            notify?.Invoke();
        }

        /// <summary>Plans every running task again, after the plan learned something or the probing task changed. Under the lock.</summary>
        private void Replan()
        {
            var pilot = _plan.Pilot(_entries.Values);
            foreach (var e in _entries.Values)
                if (!e.Done) e.NextPollAt = _plan.Next(e, e == pilot);
        }

        private void MarkTimedOut(WaitEntry e)
        {
            lock (_lock)
            {
                if (e.Done) return;
                e.Done = e.TimedOut = true;
            }
            TimedOut?.Invoke(e.Task);
        }

        private void MarkQueryFailed(WaitEntry e, KlingApiException error)
        {
            lock (_lock)
            {
                if (e.Done) return;
                e.Done = true;
                if (_plan.Pilot(_entries.Values) != null) Replan();
            }
            QueryFailed?.Invoke(e.Task, error);
        }

        private static string Key(KlingTask t) => t.Route + "/" + t.TaskId;
        private void Wake() { TaskCompletionSource<bool> w; lock (_lock) w = _wake; w.TrySetResult(true); }
        private static TaskCompletionSource<bool> NewSignal() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
    }
}
