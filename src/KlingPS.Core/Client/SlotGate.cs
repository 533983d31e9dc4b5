using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Errors;

namespace KlingPS.Core.Client
{
    /// <summary>
    /// Learns the account's concurrent-task limit from the service's own answers, so that images are not uploaded only to be
    /// refused (each refused create carries its whole Base64 image). Open while nothing is known. A 1303 (the account is at
    /// its limit) teaches the limit: the tasks of this client then known running are what the account holds for it. From then
    /// on a create goes out only while this client has fewer tasks running or being created; each of its tasks seen final
    /// (the client sees every answer) lets the next submission out, in the order the submissions first came.
    /// <para>
    /// While it holds submissions the gate looks for itself, as nobody may be polling (New-KlingImageVideo alone), or not soon:
    /// it asks about its running tasks (cheap GETs, never uploads) once they are expected to have ended. And it probes: after a
    /// backoff that doubles with every 1303 it lets one submission out beyond the limit, to find a passing 1303, slots freed by
    /// other processes on the account, or a limit the provider raised. An accepted probe raises the limit and halves the backoff.
    /// </para>
    /// </summary>
    internal sealed class SlotGate : IDisposable
    {
        private readonly object _lock = new object();
        private readonly RunningTasks _running;
        private readonly KlingClientOptions _options;
        private readonly Func<IReadOnlyList<RunningTask>, CancellationToken, Task> _look;
        private readonly LinkedList<Waiter> _waiters = new LinkedList<Waiter>(); // in ticket order
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly SemaphoreSlim _wake = new SemaphoreSlim(0, 1);
        private long _tickets;
        private int? _limit;       // tasks at once the account allows this client; null until a 1303 teaches it
        private int _sending;      // admitted creates not yet answered
        private int _refusals;     // 1303s not yet outweighed by accepted probes: each doubles the wait for the next probe
        private DateTime _probeAt = DateTime.MaxValue;
        private bool _probing;     // a probe is out
        private int _quietLooks;   // looks since a slot was last freed, none of which freed one
        private TimeSpan _lookDelay;
        private int _releases;
        private bool _watching;
        private bool _disposed;

        /// <param name="running">The client's running tasks, which it updates from every answer.</param>
        /// <param name="options">RetryInterval and MaximumRetryDelay pace the looks, ProbeInterval and MaximumProbeDelay the probes.</param>
        /// <param name="look">Asks the service about some of the client's tasks, each answer reaching the running tasks (and <see cref="Released"/>) through the client; a failure is no answer.</param>
        public SlotGate(RunningTasks running, KlingClientOptions options, Func<IReadOnlyList<RunningTask>, CancellationToken, Task> look)
        {
            _running = running ?? throw new ArgumentNullException(nameof(running));
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _look = look ?? throw new ArgumentNullException(nameof(look));
        }

        /// <summary>How many tasks at once the account has been seen to allow this client; null while no 1303 came.</summary>
        public int? Limit { get { lock (_lock) return _limit; } }

        /// <summary>A place in line, kept by one submission through all its attempts: a refused one goes back ahead of those that came after it.</summary>
        public SlotTicket NewTicket() => new SlotTicket(Interlocked.Increment(ref _tickets));

        /// <summary>
        /// Waits until this submission may be sent; <paramref name="held"/> hears the limit when it has to wait. A caller that
        /// gets through then calls <see cref="Created"/>, <see cref="Refused"/> or <see cref="Failed"/>. The task completes the
        /// moment the gate lets the submission out.
        /// </summary>
        public Task EnterAsync(SlotTicket ticket, Action<int>? held, CancellationToken ct)
        {
            Waiter waiter;
            int limit;
            lock (_lock)
            {
                if (_disposed) throw new ObjectDisposedException(nameof(SlotGate));
                ticket.IsProbe = false;
                if (_waiters.Count == 0 && HasRoomLocked())
                {
                    _sending++;
                    return Task.CompletedTask;
                }
                waiter = new Waiter(ticket);
                var after = _waiters.Last;
                while (after != null && after.Value.Ticket.Order > ticket.Order) after = after.Previous;
                waiter.Node = after == null ? _waiters.AddFirst(waiter) : _waiters.AddAfter(after, waiter);
                limit = _limit ?? 0;
                WatchLocked();
            }
            held?.Invoke(limit);
            if (ct.CanBeCanceled)
            {
                var registration = ct.Register(() =>
                {
                    lock (_lock)
                    {
                        if (waiter.Admission.TrySetCanceled() && waiter.Node!.List != null) _waiters.Remove(waiter.Node);
                    }
                });
                waiter.Admission.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
            }
            return waiter.Admission.Task;
        }

        /// <summary>The create was accepted (the client already counts its task as running).</summary>
        public void Created(SlotTicket ticket)
        {
            lock (_lock)
            {
                // Accepted beyond what the gate thought: the account allows more (or a slot was freed where this client cannot see).
                if (_limit.HasValue && _running.Count > _limit.Value) _limit = _running.Count;
                if (AnsweredLocked(ticket))
                {
                    _refusals /= 2;
                    _probeAt = DateTime.UtcNow + ProbeDelay(null);
                }
                AdmitLocked();
            }
        }

        /// <summary>The service answered 1303: what this client has running is what the account allows it now.</summary>
        public void Refused(SlotTicket ticket, TimeSpan? retryAfter)
        {
            lock (_lock)
            {
                AnsweredLocked(ticket);
                _limit = _running.Count;
                _refusals++;
                _probeAt = DateTime.UtcNow + ProbeDelay(retryAfter);
            }
        }

        /// <summary>The create ended otherwise (another error, cancelled): it taught nothing, and holds no slot.</summary>
        public void Failed(SlotTicket ticket)
        {
            lock (_lock)
            {
                // A probe that failed so taught nothing either: the next one comes after the same backoff.
                if (AnsweredLocked(ticket)) _probeAt = DateTime.UtcNow + ProbeDelay(null);
                AdmitLocked();
            }
        }

        /// <summary>A task of this client was seen final: its slot is free, and the next oldest is the one to look at.</summary>
        public void Released()
        {
            lock (_lock)
            {
                _releases++;
                _lookDelay = LookDelay(_quietLooks = 0);
                AdmitLocked();
                WakeLocked();
            }
        }

        /// <summary>
        /// One turn of the gate's loop while submissions wait (tests call it with the time they choose): asks about every
        /// running task due a look at <paramref name="now"/>, each one found final letting a submission out. When the probe's
        /// backoff has run out it asks about all of them, and only if none was final lets the first submission out as a probe:
        /// a slot this client freed unseen is no reason to upload, nor to think the account allows more.
        /// </summary>
        internal async Task TickAsync(DateTime now, CancellationToken ct)
        {
            List<RunningTask> asking;
            int releases;
            bool probe;
            lock (_lock)
            {
                if (_waiters.Count == 0) return;
                probe = !_probing && now >= _probeAt;
                asking = LookTimesLocked().Where(t => probe || t.At <= now).Select(t => t.Task).ToList();
                releases = _releases;
            }
            if (asking.Count > 0)
            {
                await _look(asking, ct).ConfigureAwait(false);
                _running.Asked(asking, DateTime.UtcNow);
            }
            lock (_lock)
            {
                var freed = _releases != releases;
                if (!freed && asking.Count > 0) _lookDelay = LookDelay(++_quietLooks);
                if (!freed && probe && !_probing) _probing = AdmitFirstLocked(probe: true);
            }
        }

        /// <summary>
        /// An admitted create is answered: a new task to look at, or a new probe time, so the loop reads its times again.
        /// True when it was the probe.
        /// </summary>
        private bool AnsweredLocked(SlotTicket ticket)
        {
            _sending--;
            WakeLocked();
            if (!ticket.IsProbe) return false;
            _probing = false;
            return true;
        }

        private bool HasRoomLocked() => !_limit.HasValue || _running.Count + _sending < _limit.Value;

        private void AdmitLocked()
        {
            while (_waiters.Count > 0 && HasRoomLocked()) AdmitFirstLocked(probe: false);
        }

        /// <summary>Lets the first waiting submission out; false when there was none (a cancelled waiter does not use the admission).</summary>
        private bool AdmitFirstLocked(bool probe)
        {
            while (_waiters.Count > 0)
            {
                var first = _waiters.First!.Value;
                _waiters.RemoveFirst();
                first.Ticket.IsProbe = probe;
                if (!first.Admission.TrySetResult(true)) continue;
                _sending++;
                return true;
            }
            return false;
        }

        /// <summary>Starts the loop that looks and probes while submissions wait, once the limit is known.</summary>
        private void WatchLocked()
        {
            if (_watching || _disposed || !_limit.HasValue) return;
            _watching = true;
            _lookDelay = LookDelay(_quietLooks);
            _ = WatchAsync(_stop.Token);
        }

        private async Task WatchAsync(CancellationToken ct)
        {
            var stopped = false;
            try
            {
                while (true)
                {
                    DateTime next;
                    lock (_lock)
                    {
                        // Stopped in the same lock that sees nobody waiting, so that a submission held next starts a new loop.
                        if (_waiters.Count == 0)
                        {
                            _watching = false;
                            stopped = true;
                            return;
                        }
                        // While a probe is out, its answer sets the next one's time (and wakes the loop).
                        var looks = LookTimesLocked();
                        next = looks.Count == 0 ? DateTime.MaxValue : looks.Min(t => t.At);
                        if (!_probing && _probeAt < next) next = _probeAt;
                    }
                    var now = DateTime.UtcNow;
                    if (next <= now) await TickAsync(now, ct).ConfigureAwait(false);
                    // Woken or not, the times are read again: answers move them.
                    else await _wake.WaitAsync(next == DateTime.MaxValue ? Timeout.InfiniteTimeSpan : next - now, ct).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) // the client is disposed
            {
            }
            finally
            {
                if (!stopped) lock (_lock) _watching = false; // disposed, or failed: the next submission held starts it again
            }
        }

        private List<(RunningTask Task, DateTime At)> LookTimesLocked() =>
            _running.LookTimes(_lookDelay, _options.RetryInterval, _options.MaximumRetryDelay);

        /// <summary>Something moved the next look or probe: the loop, asleep until the old time, reads the times again.</summary>
        private void WakeLocked()
        {
            if (_watching && _wake.CurrentCount == 0) _wake.Release();
        }

        private TimeSpan LookDelay(int quietLooks) => Backoff.Delay(quietLooks, _options.RetryInterval, _options.MaximumRetryDelay, null);

        private TimeSpan ProbeDelay(TimeSpan? retryAfter) => Backoff.Delay(_refusals, _options.ProbeInterval, _options.MaximumProbeDelay, retryAfter);

        /// <summary>Ends the gate's loop; submissions still waiting fail, as their client is gone.</summary>
        public void Dispose()
        {
            List<Waiter> left;
            lock (_lock)
            {
                if (_disposed) return;
                _disposed = true;
                left = _waiters.ToList();
                _waiters.Clear();
            }
            _stop.Cancel();
            foreach (var waiter in left) waiter.Admission.TrySetException(new ObjectDisposedException(nameof(KlingClient)));
        }

        private sealed class Waiter(SlotTicket ticket)
        {
            public readonly SlotTicket Ticket = ticket;
            public readonly TaskCompletionSource<bool> Admission = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            public LinkedListNode<Waiter>? Node;
        }
    }
}
