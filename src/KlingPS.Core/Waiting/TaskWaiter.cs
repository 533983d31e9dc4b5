using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Client;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;

namespace KlingPS.Core.Waiting
{
    /// <summary>
    /// Waits for many tasks at once. Each task is first polled near its expected finish (learned from
    /// the tasks that already finished in this run), then with a growing interval up to a cap. Where the
    /// service has the list endpoint, one request updates every task of a route (the client knows whether it has
    /// one); single-task queries are the fallback. Callbacks come from a background thread.
    /// </summary>
    internal sealed class TaskWaiter
    {
        private readonly KlingClient _client;
        private readonly WaitOptions _options;
        private readonly object _lock = new object();
        private readonly Dictionary<string, Entry> _entries = new Dictionary<string, Entry>();
        private readonly List<TimeSpan> _observedDurations = new List<TimeSpan>();
        private TaskCompletionSource<bool> _wake = NewSignal();
        private bool _completed;
        private int _succeeded, _failed, _timedOut;

        public TaskWaiter(KlingClient client, WaitOptions? options = null)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _options = options ?? new WaitOptions();
        }

        /// <summary>A task reached Succeeded or Failed.</summary>
        public event Action<KlingTask>? Finished;
        /// <summary>A task's status changed (for -Verbose).</summary>
        public event Action<KlingTask, KlingTaskStatus>? StatusChanged;
        /// <summary>A task was still running when the timeout came.</summary>
        public event Action<KlingTask>? TimedOut;
        /// <summary>A task's query failed in a way trying again cannot fix (wrong key, account, unknown task): its wait ends with the error.</summary>
        public event Action<KlingTask, KlingApiException>? QueryFailed;

        public WaitProgress Progress
        {
            get
            {
                lock (_lock) return new WaitProgress(_entries.Count, _succeeded, _failed, _entries.Count - _succeeded - _failed - _timedOut);
            }
        }

        /// <summary>Adds a task to wait for; a task that is already final is reported at once by the running loop.</summary>
        public void Add(KlingTask task)
        {
            if (task == null) throw new ArgumentNullException(nameof(task));
            lock (_lock)
            {
                if (_completed) throw new InvalidOperationException("No task can be added after Complete().");
                if (_entries.ContainsKey(Key(task))) return;
                var now = DateTime.UtcNow;
                _entries[Key(task)] = new Entry(task, now, FirstPollAt(task, Estimate(), now));
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
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                List<Entry> pending, due;
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
                    foreach (var e in arrivedFinal) Observe(e, e.Task);
                    continue;
                }

                var now = DateTime.UtcNow;
                if (now >= deadline)
                {
                    foreach (var e in pending) MarkTimedOut(e);
                    lock (_lock) { if (_completed) return; }
                    await Task.WhenAny(wake, Task.Delay(Timeout.Infinite, ct)).ConfigureAwait(false);
                    continue;
                }

                due = pending.Where(e => e.NextPollAt <= now).ToList();
                if (due.Count > 0)
                {
                    await PollAsync(due, ct).ConfigureAwait(false);
                    continue;
                }

                var next = pending.Count == 0 ? deadline : pending.Min(e => e.NextPollAt);
                if (next > deadline) next = deadline;
                var sleep = next == DateTime.MaxValue ? Timeout.InfiniteTimeSpan : Max(next - now, TimeSpan.FromMilliseconds(1));
                await Task.WhenAny(wake, Task.Delay(sleep, ct)).ConfigureAwait(false);
                lock (_lock) { if (_wake.Task == wake && wake.IsCompleted) _wake = NewSignal(); }
            }
        }

        private async Task PollAsync(List<Entry> due, CancellationToken ct)
        {
            var remaining = new List<Entry>(due);
            if (_options.UseListEndpoint)
            {
                foreach (var group in due.GroupBy(e => e.Task.Route).ToList())
                {
                    var seen = await _client.TryListTasksAsync(group.Key, _options.Call, ct).ConfigureAwait(false);
                    if (seen == null) continue;
                    // A list answer updates every task it shows, due or not: the request is paid for. A task that was
                    // not due keeps its own next poll: it is still expected to finish then, not a full interval later.
                    var updates = new List<(Entry, KlingTask)>();
                    lock (_lock)
                    {
                        foreach (var task in seen)
                            if (_entries.TryGetValue(Key(task), out var entry) && !entry.Done) updates.Add((entry, task));
                    }
                    foreach (var (entry, task) in updates) Observe(entry, task, reschedule: due.Contains(entry));
                    remaining.RemoveAll(e => e.Task.Route == group.Key && seen.Any(t => t.TaskId == e.Task.TaskId));
                }
            }

            using var gate = new SemaphoreSlim(Math.Max(1, _options.MaximumParallelQueries));
            await Task.WhenAll(remaining.Select(async e =>
            {
                await gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    var fresh = await _client.GetTaskAsync(e.Task.Route, e.Task.TaskId, _options.Call, ct).ConfigureAwait(false);
                    Observe(e, fresh);
                }
                catch (KlingApiException x) when (!x.IsRetryable)
                {
                    // Polling on would only repeat the same refusal, for ever when no timeout was given.
                    MarkQueryFailed(e, x);
                }
                catch (KlingApiException x)
                {
                    // A query that still fails after its retries is not the task failing: try again later.
                    _options.Call.Say($"Task {e.Task.TaskId}: could not query it ({x.Message}); trying again later.");
                    lock (_lock) Reschedule(e);
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false);
        }

        private void Observe(Entry entry, KlingTask fresh, bool reschedule = true)
        {
            Action? notify = null;
            lock (_lock)
            {
                if (entry.Done) return;
                var before = entry.Task.Status;
                entry.Task = entry.Task.Sources.Count > 0 ? fresh.WithSources(entry.Task.Sources) : fresh;
                entry.Polls++;
                if (before != fresh.Status && !fresh.IsFinal)
                {
                    var task = entry.Task;
                    notify = () => StatusChanged?.Invoke(task, before);
                }
                if (fresh.IsFinal)
                {
                    entry.Done = true;
                    if (fresh.Status == KlingTaskStatus.Succeeded) _succeeded++; else _failed++;
                    if (fresh.CreatedAt.HasValue)
                    {
                        // By the service's clock (updated_at of a final task is its end): measured up to this poll, the
                        // poll's own lateness would count as duration and push every later first poll later still.
                        var took = (fresh.UpdatedAt ?? DateTimeOffset.UtcNow) - fresh.CreatedAt.Value;
                        if (took > TimeSpan.Zero)
                        {
                            _observedDurations.Add(took);
                            ReplanFirstPolls();
                        }
                    }
                    var task = entry.Task;
                    notify = () => Finished?.Invoke(task);
                }
                else if (reschedule)
                {
                    Reschedule(entry);
                }
            }
            notify?.Invoke();
        }

        private void MarkTimedOut(Entry e)
        {
            lock (_lock)
            {
                if (e.Done) return;
                e.Done = true;
                _timedOut++;
            }
            TimedOut?.Invoke(e.Task);
        }

        private void MarkQueryFailed(Entry e, KlingApiException error)
        {
            lock (_lock)
            {
                if (e.Done) return;
                e.Done = true;
                _failed++;
            }
            QueryFailed?.Invoke(e.Task, error);
        }

        /// <summary>Backoff after a poll that found the task still running: 1.5x the last gap, between the bounds.</summary>
        private void Reschedule(Entry e)
        {
            var gap = e.Polls <= 1 ? _options.MinimumPollInterval : TimeSpan.FromTicks((long)(e.LastGap.Ticks * 1.5));
            gap = Min(Max(gap, _options.MinimumPollInterval), _options.MaximumPollInterval);
            e.LastGap = gap;
            e.NextPollAt = DateTime.UtcNow + gap;
        }

        /// <summary>How long a task is expected to take: the median of what finished in this run, else the initial estimate. Under the lock.</summary>
        private TimeSpan Estimate() => _observedDurations.Count == 0 ? _options.InitialEstimate
            : _observedDurations.OrderBy(d => d).ElementAt(_observedDurations.Count / 2);

        /// <summary>
        /// Tasks added before anything finished were planned with the initial estimate; what finished teaches a
        /// better one, and a task of the same batch would otherwise be polled first by the old guess. Under the lock.
        /// </summary>
        private void ReplanFirstPolls()
        {
            var estimate = Estimate();
            foreach (var e in _entries.Values)
                if (!e.Done && e.LastGap == TimeSpan.Zero) e.NextPollAt = FirstPollAt(e.Task, estimate, e.AddedAt); // never rescheduled: still on its first plan
        }

        /// <summary>The first poll goes near the expected finish, and not sooner after <paramref name="seenAt"/> (when the task was last fetched) than the minimum interval.</summary>
        private DateTime FirstPollAt(KlingTask task, TimeSpan estimate, DateTime seenAt)
        {
            var created = task.CreatedAt?.UtcDateTime ?? seenAt;
            var at = created + estimate;
            var earliest = seenAt + TimeSpan.FromTicks(Math.Min(_options.MinimumPollInterval.Ticks, estimate.Ticks));
            return task.IsFinal ? DateTime.UtcNow : (at < earliest ? earliest : at);
        }

        private static string Key(KlingTask t) => t.Route + "/" + t.TaskId;
        private void Wake() { TaskCompletionSource<bool> w; lock (_lock) w = _wake; w.TrySetResult(true); }
        private static TaskCompletionSource<bool> NewSignal() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

        private sealed class Entry
        {
            public Entry(KlingTask task, DateTime addedAt, DateTime nextPollAt) { Task = task; AddedAt = addedAt; NextPollAt = nextPollAt; }
            public KlingTask Task;
            public readonly DateTime AddedAt;
            public DateTime NextPollAt;
            public TimeSpan LastGap;
            public int Polls;
            public bool Done;
        }
    }
}
