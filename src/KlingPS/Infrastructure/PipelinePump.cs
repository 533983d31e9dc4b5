using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace KlingPS.Infrastructure
{
    /// <summary>
    /// PowerShell lets only the pipeline thread write output, errors, verbose and progress. Background work (submissions,
    /// the waiter, downloads) posts those writes here, and the cmdlet runs them on its own thread when it drains: the one
    /// way background results reach the pipeline. What is posted after the command ended is dropped.
    /// </summary>
    internal sealed class PipelinePump : IDisposable
    {
        private readonly object _gate = new object();
        private readonly BlockingCollection<Action> _actions = new BlockingCollection<Action>();
        private bool _disposed;

        public void Post(Action action)
        {
            lock (_gate)
            {
                if (!_disposed) _actions.Add(action);
            }
        }

        /// <summary>Runs what is queued now, without waiting.</summary>
        public void Drain()
        {
            while (_actions.TryTake(out var action)) action();
        }

        /// <summary>Runs queued writes until <paramref name="work"/> ends, then the rest; rethrows its failure. A stop ends the pipeline.</summary>
        public void RunUntil(Task work, CancellationToken ct)
        {
            work.ContinueWith(_ => Post(() => { }), TaskScheduler.Default);
            while (!work.IsCompleted)
            {
                try
                {
                    if (_actions.TryTake(out var action, Timeout.Infinite, ct)) action();
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            Drain();
            if (ct.IsCancellationRequested) throw new PipelineStoppedException();
            if (work.IsFaulted) ExceptionDispatchInfo.Capture(work.Exception!.GetBaseException()).Throw();
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
                _actions.Dispose();
            }
        }
    }
}
