using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace KlingPS.Core.Client
{
    /// <summary>
    /// Shared by all submissions of a client. Open, it lets everyone through. After a 1303 (the account's
    /// concurrent-task limit) it closes, and from then on lets submissions through one at a time: one for
    /// each task of the account seen to end, one when the backoff delay runs out (a probe, in case the slot
    /// was freed by something this client does not watch), and the next one each time an admitted
    /// submission is done without a 1303. Opening for all at once would send every waiting image again,
    /// and all but one would be refused (and with them, megabytes of Base64 each).
    /// It opens fully again when a submission succeeds with nobody waiting.
    /// </summary>
    internal sealed class SlotGate
    {
        private const int MaxStoredPermits = 64;
        private readonly object _lock = new object();
        private readonly LinkedList<TaskCompletionSource<bool>> _waiters = new LinkedList<TaskCompletionSource<bool>>();
        private bool _closed;
        private int _permits; // admissions owed while nobody was waiting
        private int _probeGeneration;

        /// <summary>Waits until this submission may be sent. A caller that gets through must then call <see cref="Done"/> or <see cref="Refused"/>.</summary>
        public async Task WaitOpenAsync(CancellationToken ct)
        {
            TaskCompletionSource<bool> admission;
            LinkedListNode<TaskCompletionSource<bool>> node;
            lock (_lock)
            {
                if (!_closed) return;
                if (_permits > 0)
                {
                    _permits--;
                    return;
                }
                admission = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                node = _waiters.AddLast(admission);
            }
            using (ct.Register(() => admission.TrySetCanceled()))
            {
                try
                {
                    await admission.Task.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    lock (_lock)
                    {
                        if (node.List != null) _waiters.Remove(node);
                    }
                    throw;
                }
            }
        }

        /// <summary>A submission got its answer (or failed for another reason): the next waiting one may try.</summary>
        public void Done()
        {
            lock (_lock)
            {
                if (!_closed) return;
                if (_waiters.Count == 0) _closed = false;
                else AdmitOneLocked();
            }
        }

        /// <summary>
        /// The service answered 1303: close, and admit a probe after <paramref name="delay"/>. The refused submission
        /// waits again through <see cref="WaitOpenAsync"/> like any other (waiting here too would spend its admission).
        /// </summary>
        public void Refused(TimeSpan delay)
        {
            int generation;
            lock (_lock)
            {
                _closed = true;
                _permits = 0;
                generation = ++_probeGeneration;
            }
            _ = ProbeAfterAsync(delay, generation);
        }

        /// <summary>A task of the account ended: one slot is free.</summary>
        public void Released()
        {
            lock (_lock)
            {
                if (_closed) AdmitOneLocked();
            }
        }

        private async Task ProbeAfterAsync(TimeSpan delay, int generation)
        {
            await Task.Delay(delay).ConfigureAwait(false);
            lock (_lock)
            {
                // A later 1303 scheduled its own probe; this one is stale.
                if (_closed && generation == _probeGeneration) AdmitOneLocked();
            }
        }

        private void AdmitOneLocked()
        {
            while (_waiters.Count > 0)
            {
                var first = _waiters.First!.Value;
                _waiters.RemoveFirst();
                if (first.TrySetResult(true)) return; // a cancelled waiter does not use the admission
            }
            if (_permits < MaxStoredPermits) _permits++;
        }
    }
}
