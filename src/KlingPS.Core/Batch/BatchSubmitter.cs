using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Client;
using KlingPS.Core.Models;

namespace KlingPS.Core.Batch
{
    /// <summary>
    /// Submits a batch concurrently, at most ThrottleLimit at a time, and hands back results as they
    /// arrive, so a cmdlet can write them from its own thread. With a journal, a request already
    /// submitted by an earlier run gives back its task instead of being sent again.
    /// </summary>
    internal sealed class BatchSubmitter : IDisposable
    {
        private readonly KlingClient _client;
        private readonly BatchJournal? _journal;
        private readonly KlingCallOptions _call;
        private readonly CancellationToken _ct;
        private readonly SemaphoreSlim _throttle;
        private readonly BlockingCollection<SubmissionResult> _results = new BlockingCollection<SubmissionResult>();
        private int _pending;

        public BatchSubmitter(KlingClient client, int throttleLimit, BatchJournal? journal, KlingCallOptions? call, CancellationToken ct)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _throttle = new SemaphoreSlim(Math.Max(1, throttleLimit));
            _journal = journal;
            _call = call ?? KlingCallOptions.Default;
            _ct = ct;
        }

        /// <summary>Submissions started and not yet taken.</summary>
        public int Pending => Volatile.Read(ref _pending);

        public void Submit(KlingVideoRequest request, object? item) =>
            Start(item, BatchJournal.KeyOf(request), request.ExternalTaskId, id => { request.ExternalTaskId = id; return _client.SubmitAsync(request, _call, _ct); });

        private void Start(object? item, string key, string? wantedId, Func<string, Task<KlingTask>> send)
        {
            Interlocked.Increment(ref _pending);
            _ = Task.Run(async () =>
            {
                SubmissionResult result;
                try
                {
                    await _throttle.WaitAsync(_ct).ConfigureAwait(false);
                    try
                    {
                        result = new SubmissionResult(item, await SubmitOnceAsync(key, wantedId, send).ConfigureAwait(false), null);
                    }
                    finally
                    {
                        _throttle.Release();
                    }
                }
                catch (Exception e)
                {
                    result = new SubmissionResult(item, null, e);
                }
                _results.Add(result);
            });
        }

        private async Task<KlingTask> SubmitOnceAsync(string key, string? wantedId, Func<string, Task<KlingTask>> send)
        {
            if (_journal == null) return await send(wantedId ?? ExternalTaskIds.New()).ConfigureAwait(false);
            if (_journal.TryGetTask(key, out var taskId, out var knownRoute, out var source))
            {
                _call.Say($"Journal {_journal.Path}: task {taskId} was submitted by an earlier run; not sending it again.");
                var known = await _client.GetTaskAsync(knownRoute, taskId, _call, _ct).ConfigureAwait(false);
                return known.WithSource(source);
            }
            // The id is on disk before the request leaves, so a run killed mid-request reuses it and finds the task.
            var task = await send(_journal.ExternalIdFor(key, wantedId)).ConfigureAwait(false);
            _journal.RecordSubmitted(key, task);
            return task;
        }

        /// <summary>A finished result if there is one, without waiting.</summary>
        public bool TryTake(out SubmissionResult result)
        {
            if (_results.TryTake(out result!))
            {
                Interlocked.Decrement(ref _pending);
                return true;
            }
            return false;
        }

        /// <summary>Waits for the next result; null when nothing is pending.</summary>
        public SubmissionResult? Take(CancellationToken ct)
        {
            if (Pending == 0) return null;
            var result = _results.Take(ct);
            Interlocked.Decrement(ref _pending);
            return result;
        }

        public void Dispose()
        {
            _results.Dispose();
        }
    }
}
