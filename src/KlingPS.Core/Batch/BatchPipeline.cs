using System;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Client;
using KlingPS.Core.Downloading;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;
using KlingPS.Core.Validation;
using KlingPS.Core.Waiting;

namespace KlingPS.Core.Batch
{
    /// <summary>
    /// The flow of `New-KlingImageVideo | Wait-KlingTask | Save-KlingVideo`, once, in the core: each request is checked and
    /// goes to the submitter, each task it gets goes to the waiter at once, and each task that succeeds to the saver at once.
    /// Every step of every item is reported as a <see cref="BatchOutcome"/> (from background threads); one item's failure
    /// harms no other. Cancelling stops everything in flight, and the run ends only once its work has seen that (journal
    /// records, temporary files), or after a bounded time.
    /// </summary>
    internal sealed class BatchPipeline : IDisposable
    {
        /// <summary>How long, after a cancellation, work in flight may take to end before the run gives up on it.</summary>
        private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

        private readonly Action<BatchOutcome> _report;
        private readonly CancellationToken _ct;
        private readonly BatchSubmitter _submitter;
        private readonly TaskWaiter _waiter;
        private readonly VideoSaver _saver;
        private readonly Task _waiting;

        public BatchPipeline(KlingClient client, BatchPipelineOptions options, Action<BatchOutcome> report, CancellationToken ct)
        {
            if (client == null) throw new ArgumentNullException(nameof(client));
            if (options == null) throw new ArgumentNullException(nameof(options));
            _report = report ?? throw new ArgumentNullException(nameof(report));
            _ct = ct;
            var save = new SaveOptions(options.OutFolder) { Force = options.Force, ThrottleLimit = options.DownloadThrottle, Journal = options.Journal, Call = options.Call };
            _saver = new VideoSaver(client, save, report, ct);
            _waiter = new TaskWaiter(client, options.Wait);
            _waiter.Finished += task =>
            {
                report(BatchOutcome.Finished(task));
                if (task.Status == KlingTaskStatus.Succeeded) _saver.Save(task);
            };
            _waiter.QueryFailed += (task, error) => report(BatchOutcome.Failed(task, task, error));
            _waiter.TimedOut += task => report(BatchOutcome.Failed(task, task, TaskErrors.WaitTimedOut(task)));
            _submitter = new BatchSubmitter(client, options.SubmitThrottle, options.Journal, options.Call, Submitted, ct);
            _waiting = _waiter.RunAsync(ct);
        }

        /// <summary>Checks a request and starts it; one the checks refuse is reported failed at once, and sends nothing.</summary>
        public void Submit(KlingVideoRequest request, object? item)
        {
            try
            {
                _submitter.Check(request);
            }
            catch (KlingValidationException e)
            {
                _report(BatchOutcome.Failed(item, null, e));
                return;
            }
            _submitter.Submit(request, item);
        }

        /// <summary>
        /// After the last <see cref="Submit"/>: ends when every item is saved, skipped or failed. When cancelled, it throws
        /// <see cref="OperationCanceledException"/> once the work in flight has ended (or the drain limit passed).
        /// </summary>
        public async Task CompleteAsync()
        {
            try
            {
                await _submitter.WhenAllDone().ConfigureAwait(false);
                _ct.ThrowIfCancellationRequested(); // a cancelled submission ends without a task: the waiter must not think it has them all
                _waiter.Complete();
                await _waiting.ConfigureAwait(false);
                // Finished comes before the waiter's run ends, so every download has been started by now.
                await _saver.WhenAllDone().ConfigureAwait(false);
                _ct.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException) when (_ct.IsCancellationRequested)
            {
                var all = Task.WhenAll(_submitter.WhenAllDone(), _waiting, _saver.WhenAllDone());
                await Task.WhenAny(all, Task.Delay(DrainLimit)).ConfigureAwait(false);
                throw;
            }
        }

        private void Submitted(BatchOutcome outcome)
        {
            _report(outcome);
            if (outcome.Step == BatchStep.Submitted) _waiter.Add(outcome.Task!);
        }

        public void Dispose()
        {
            _submitter.Dispose();
            _saver.Dispose();
        }
    }
}
