using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Client;
using KlingPS.Core.Models;
using KlingPS.Core.Validation;

namespace KlingPS.Core.Batch
{
    /// <summary>
    /// Submits a batch concurrently, at most ThrottleLimit at a time, and hands each outcome (Submitted or Failed) to a
    /// callback as it arrives, on a background thread (a cmdlet posts it to its pipeline thread). With a journal, a request
    /// already submitted by an earlier run gives back its task instead of being sent again. A submission cancelled with the
    /// batch has no outcome.
    /// </summary>
    internal sealed class BatchSubmitter : IDisposable
    {
        private readonly KlingClient _client;
        private readonly BatchJournal? _journal;
        private readonly KlingCallOptions _call;
        private readonly Action<BatchOutcome> _done;
        private readonly CancellationToken _ct;
        private readonly SemaphoreSlim _throttle;
        private readonly BatchIds _ids = new BatchIds();
        private readonly List<Task> _running = new List<Task>();

        public BatchSubmitter(KlingClient client, int throttleLimit, BatchJournal? journal, KlingCallOptions? call, Action<BatchOutcome> done,
            CancellationToken ct)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _done = done ?? throw new ArgumentNullException(nameof(done));
            _throttle = new SemaphoreSlim(Math.Max(1, throttleLimit));
            _journal = journal;
            _call = call ?? KlingCallOptions.Default;
            _ct = ct;
        }

        /// <summary>
        /// Checks a request before it is confirmed and sent: the validator's rules, and an external id used once in the batch
        /// (the service keeps them unique, so a second use would only fail there, after the first was paid for).
        /// </summary>
        /// <exception cref="KlingValidationException">The first rule the request breaks.</exception>
        public void Check(KlingVideoRequest request)
        {
            RequestValidator.Validate(request);
            _ids.Claim(request);
        }

        /// <summary>Starts a submission; its outcome goes to the callback.</summary>
        public void Submit(KlingVideoRequest request, object? item)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            var key = _journal == null ? null : BatchJournal.KeyOf(request);
            var work = Task.Run(async () =>
            {
                BatchOutcome outcome;
                try
                {
                    await _throttle.WaitAsync(_ct).ConfigureAwait(false);
                    try
                    {
                        outcome = BatchOutcome.Submitted(item, await SubmitOnceAsync(request, key).ConfigureAwait(false));
                    }
                    finally
                    {
                        _throttle.Release();
                    }
                }
                catch (OperationCanceledException) when (_ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    outcome = BatchOutcome.Failed(item, null, e);
                }
                _done(outcome);
            });
            lock (_running)
            {
                _running.RemoveAll(t => t.IsCompleted);
                _running.Add(work);
            }
        }

        /// <summary>Completes when every submission started so far has ended and given its outcome.</summary>
        public Task WhenAllDone()
        {
            lock (_running) return Task.WhenAll(_running.ToArray());
        }

        private async Task<KlingTask> SubmitOnceAsync(KlingVideoRequest request, string? key)
        {
            if (_journal == null || key == null) return await _client.SubmitAsync(request, _call, _ct).ConfigureAwait(false);
            if (_journal.TryGetTask(key, out var taskId, out var knownRoute, out var source))
            {
                _call.Say($"Journal {_journal.Path}: task {taskId} was submitted by an earlier run; not sending it again.");
                var known = await _client.GetTaskAsync(knownRoute, taskId, _call, _ct).ConfigureAwait(false);
                return known.WithSource(source);
            }
            // The id is on disk before the request leaves, so a run killed mid-request reuses it and finds the task.
            request.ExternalTaskId = _journal.ExternalIdFor(key, request.ExternalTaskId);
            var task = await _client.SubmitAsync(request, _call, _ct).ConfigureAwait(false);
            _journal.RecordSubmitted(key, task);
            return task;
        }

        public void Dispose() => _throttle.Dispose();
    }
}
