using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Client;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;
using KlingPS.Core.Validation;

namespace KlingPS.Core.Batch
{
    /// <summary>
    /// Submits a batch concurrently, at most ThrottleLimit at a time (one at a time until the key and the account have proven
    /// to work, none after they failed: <see cref="BatchAdmission"/>), and hands each outcome (Submitted or Failed) to a
    /// callback as it arrives, on a background thread (a cmdlet posts it to its pipeline thread). With a journal, a request
    /// already submitted by an earlier run gives back its task instead of being sent again, and one that another live run
    /// (another process over the same journal) is sending is waited for. A submission cancelled with the batch has no outcome.
    /// </summary>
    internal sealed class BatchSubmitter : IDisposable
    {
        /// <summary>How often a request another live run is sending is looked for in the journal again.</summary>
        private static readonly TimeSpan ClaimPollInterval = TimeSpan.FromMilliseconds(200);

        private readonly KlingClient _client;
        private readonly BatchJournal? _journal;
        private readonly KlingCallOptions _call;
        private readonly Action<BatchOutcome> _done;
        private readonly CancellationToken _ct;
        private readonly SemaphoreSlim _throttle;
        private readonly BatchIds _ids = new BatchIds();
        private readonly BatchAdmission _admission = new BatchAdmission();
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
        /// Called (on a background thread) as a request is about to leave, with the item and the external id it carries:
        /// what a stopped command names so that the task it may have made can be found.
        /// </summary>
        public Action<object?, string>? Sending { get; set; }

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
            var work = Task.Run(async () =>
            {
                BatchOutcome outcome;
                try
                {
                    await _throttle.WaitAsync(_ct).ConfigureAwait(false);
                    try
                    {
                        outcome = BatchOutcome.Submitted(item, await SubmitOnceAsync(request, item).ConfigureAwait(false));
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

        private async Task<KlingTask> SubmitOnceAsync(KlingVideoRequest request, object? item)
        {
            _admission.ThrowIfStopped(request.Name);
            if (_journal == null)
            {
                var id = request.ExternalTaskId ?? ExternalTaskIds.New();
                Sending?.Invoke(item, id);
                return await _admission.RunAsync(request.Name, () => _client.SubmitAsync(request, id, request.ExternalTaskId != null, _call, _ct), _ct)
                    .ConfigureAwait(false);
            }
            var key = RequestKey.Of(request);
            var sources = request.Sources;
            var waited = false;
            while (true)
            {
                var claim = _journal.Claim(key, request.ExternalTaskId, sources);
                switch (claim.Step)
                {
                    case ClaimStep.Known:
                        var recorded = claim.Task!;
                        _call.Say($"Journal {_journal.Path}: {request.Name} has task {recorded.TaskId}; not sending it again.");
                        var known = await _admission.RunAsync(request.Name, () => _client.GetTaskAsync(recorded.Route, recorded.TaskId, _call, _ct), _ct)
                            .ConfigureAwait(false);
                        return known.WithSources(recorded.Sources);
                    case ClaimStep.Busy:
                        if (!waited) _call.Say($"Journal {_journal.Path}: another run (or item) is sending {request.Name} (external id {claim.ExternalTaskId}); waiting for its task.");
                        waited = true;
                        await Task.Delay(ClaimPollInterval, _ct).ConfigureAwait(false);
                        continue;
                }
                if (claim.Warning != null) _call.Warn(claim.Warning);
                // The claim is on disk before the request leaves, so a run killed mid-request leaves its id to the next, which
                // looks the task up first; so is one with the user's own id, which may be an earlier request's.
                var lookUpFirst = claim.LookUpFirst || request.ExternalTaskId != null;
                Sending?.Invoke(item, claim.ExternalTaskId);
                KlingTask task;
                try
                {
                    task = await _admission.RunAsync(request.Name, () => _client.SubmitAsync(request, claim.ExternalTaskId, lookUpFirst, _call, _ct), _ct)
                        .ConfigureAwait(false);
                }
                catch (Exception e) when (!(e is OperationCanceledException && _ct.IsCancellationRequested))
                {
                    Release(key);
                    throw;
                }
                _journal.RecordSubmitted(key, task);
                return task;
            }
        }

        /// <summary>
        /// Gives up this run's claim of a request that failed, so that a waiting run may try it at once. Its own failure is
        /// not the item's: the claim is then given up when this run ends.
        /// </summary>
        private void Release(string key)
        {
            try
            {
                _journal!.Release(key);
            }
            catch (KlingApiException e)
            {
                _call.Say(e.Message);
            }
        }

        public void Dispose()
        {
            _throttle.Dispose();
            _admission.Dispose();
        }
    }
}
