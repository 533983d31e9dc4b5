using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Batch;
using KlingPS.Core.Client;
using KlingPS.Core.Models;

namespace KlingPS.Core.Downloading
{
    /// <summary>
    /// The download queue of a batch: names each video of a finished task (<see cref="VideoFileNames"/>), skips the ones the
    /// journal records as saved whole by an earlier run, downloads the others at most ThrottleLimit at a time, and hands each
    /// outcome (Saved, Skipped or Failed) to a callback: a skip on the caller's thread, a download's on a background thread.
    /// A download cancelled with the batch has no outcome.
    /// </summary>
    internal sealed class VideoSaver : IDisposable
    {
        private readonly SaveOptions _options;
        private readonly VideoDownloader _downloader;
        private readonly Action<BatchOutcome> _done;
        private readonly CancellationToken _ct;
        private readonly SemaphoreSlim _throttle;
        private readonly List<Task> _running = new List<Task>();
        private int _started, _ended;

        public VideoSaver(KlingClient client, SaveOptions options, Action<BatchOutcome> done, CancellationToken ct)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _done = done ?? throw new ArgumentNullException(nameof(done));
            // The downloader records each video just before renaming it into place, so no kill leaves a file the journal misses.
            _downloader = new VideoDownloader(client) { Journal = options.Journal, MaximumBytes = options.MaximumVideoBytes };
            _throttle = new SemaphoreSlim(Math.Max(1, options.ThrottleLimit));
            _ct = ct;
        }

        /// <summary>Downloads started.</summary>
        public int Started => Volatile.Read(ref _started);
        /// <summary>Downloads that ended, whatever the outcome.</summary>
        public int Ended => Volatile.Read(ref _ended);

        /// <summary>
        /// Saves every video of a task that succeeded. <paramref name="confirm"/> (a cmdlet's ShouldProcess) may decline a video;
        /// it runs on the caller's thread, after the journal check.
        /// </summary>
        public void Save(KlingTask task, Func<VideoTarget, bool>? confirm = null)
        {
            if (task == null) throw new ArgumentNullException(nameof(task));
            for (var i = 0; i < task.Videos.Count && !_ct.IsCancellationRequested; i++)
            {
                var target = new VideoTarget(task, task.Videos[i], VideoFileNames.PathFor(_options.Folder, task, i));
                if (_options.Journal != null && _options.Journal.IsSaved(target.Path))
                {
                    _options.Call.Say($"{target.Path} was saved whole by an earlier run; skipping it.");
                    _done(BatchOutcome.Skipped(task, new FileInfo(target.Path)));
                    continue;
                }
                if (confirm == null || confirm(target)) Start(target);
            }
        }

        /// <summary>Completes when every download started so far has ended and given its outcome.</summary>
        public Task WhenAllDone()
        {
            lock (_running) return Task.WhenAll(_running.ToArray());
        }

        private void Start(VideoTarget target)
        {
            Interlocked.Increment(ref _started);
            var work = Task.Run(async () =>
            {
                BatchOutcome? outcome = null;
                try
                {
                    await _throttle.WaitAsync(_ct).ConfigureAwait(false);
                    try
                    {
                        var file = await _downloader.DownloadAsync(target.Video, target.Path, _options.Force, null, _options.Call, _ct).ConfigureAwait(false);
                        outcome = BatchOutcome.Saved(target.Task, file);
                    }
                    finally
                    {
                        _throttle.Release();
                    }
                }
                catch (OperationCanceledException) when (_ct.IsCancellationRequested)
                {
                }
                catch (Exception e)
                {
                    outcome = BatchOutcome.Failed(target.Path, target.Task, e);
                }
                Interlocked.Increment(ref _ended);
                if (outcome != null) _done(outcome);
            });
            lock (_running)
            {
                _running.RemoveAll(t => t.IsCompleted);
                _running.Add(work);
            }
        }

        public void Dispose() => _throttle.Dispose();
    }
}
