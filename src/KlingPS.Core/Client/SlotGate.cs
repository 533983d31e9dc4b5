using System;
using System.Threading;
using System.Threading.Tasks;

namespace KlingPS.Client
{
    /// <summary>
    /// Shared by all submissions of a client: after a 1303 (account's concurrent-task limit) the gate
    /// closes for a backoff delay so that the other submitters wait too instead of each hammering the
    /// service; it opens early when a task of the account is seen to end.
    /// </summary>
    internal sealed class SlotGate
    {
        private readonly object _lock = new object();
        private DateTime _closedUntilUtc = DateTime.MinValue;
        private TaskCompletionSource<bool> _released = NewSignal();

        public async Task WaitOpenAsync(CancellationToken ct)
        {
            while (true)
            {
                TimeSpan remaining;
                Task released;
                lock (_lock)
                {
                    remaining = _closedUntilUtc - DateTime.UtcNow;
                    released = _released.Task;
                }
                if (remaining <= TimeSpan.Zero) return;
                var finished = await Task.WhenAny(Task.Delay(remaining, ct), released).ConfigureAwait(false);
                ct.ThrowIfCancellationRequested();
                if (finished == released) return;
            }
        }

        public Task CloseForAsync(TimeSpan delay, CancellationToken ct)
        {
            lock (_lock)
            {
                var until = DateTime.UtcNow + delay;
                if (until > _closedUntilUtc) _closedUntilUtc = until;
            }
            return WaitOpenAsync(ct);
        }

        public void Released()
        {
            TaskCompletionSource<bool> old;
            lock (_lock)
            {
                old = _released;
                _released = NewSignal();
                _closedUntilUtc = DateTime.MinValue;
            }
            old.TrySetResult(true);
        }

        private static TaskCompletionSource<bool> NewSignal() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
