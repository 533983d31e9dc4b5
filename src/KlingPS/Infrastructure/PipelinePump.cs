using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace KlingPS.Infrastructure
{
    /// <summary>
    /// PowerShell lets only the pipeline thread write output, errors, verbose and progress. Background
    /// work posts those writes here, and the cmdlet runs them on its own thread when it drains.
    /// </summary>
    internal sealed class PipelinePump
    {
        private readonly BlockingCollection<Action> _actions = new BlockingCollection<Action>();

        public void Post(Action action) => _actions.Add(action);

        /// <summary>Runs what is queued now, without waiting.</summary>
        public void Drain()
        {
            while (_actions.TryTake(out var action)) action();
        }

        /// <summary>Runs queued writes until <paramref name="work"/> ends, then the rest; rethrows its failure.</summary>
        public void RunUntil(Task work, CancellationToken ct)
        {
            work.ContinueWith(_ => _actions.Add(() => { }), TaskScheduler.Default);
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
            if (ct.IsCancellationRequested) throw new System.Management.Automation.PipelineStoppedException();
            if (work.IsFaulted) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(work.Exception!.GetBaseException()).Throw();
        }
    }
}
