using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Batch;
using KlingPS.Core.Client;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;

namespace KlingPS.Core.Downloading
{
    /// <summary>
    /// The download queue of a batch: skips the videos the journal records as saved whole, gives each other video its file
    /// (<see cref="VideoFileNames"/>), downloads at most ThrottleLimit at a time, and hands each outcome (Saved, Skipped or
    /// Failed) to a callback: a skip found at once on the caller's thread, the rest on a background thread.
    /// Two tasks never share a file. A video's name belongs to the first video of this run to take it, else to the video the
    /// journal last saved there while that file is still whole; another task's video goes to its other name (cat-&lt;task
    /// id&gt;.mp4), with a warning. -Force gives the name to this run's video over an earlier run's, and replaces a file of
    /// unknown origin, which is otherwise an error. With a journal, each video is recorded as "saving" just before it is renamed
    /// into place and "saved" after, so a kill at any moment leaves either a video the journal knows or none.
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
        // The files of this run: which video took each name, and where each video was saved.
        private readonly Dictionary<string, (string TaskId, string VideoId)> _names = new Dictionary<string, (string, string)>(VideoFileNames.PathComparer);
        private readonly Dictionary<(string TaskId, string VideoId), string> _saved = new Dictionary<(string, string), string>();
        private int _started, _ended;
        private long _bytesReceived;

        public VideoSaver(KlingClient client, SaveOptions options, Action<BatchOutcome> done, CancellationToken ct)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _done = done ?? throw new ArgumentNullException(nameof(done));
            _downloader = new VideoDownloader(client) { MaximumBytes = options.MaximumVideoBytes };
            _throttle = new SemaphoreSlim(Math.Max(1, options.ThrottleLimit));
            _ct = ct;
        }

        /// <summary>Downloads started.</summary>
        public int Started => Volatile.Read(ref _started);
        /// <summary>Downloads that ended, whatever the outcome.</summary>
        public int Ended => Volatile.Read(ref _ended);
        /// <summary>Bytes of the downloads started so far that are on disk now (a download that starts over counts from 0 again).</summary>
        public long BytesReceived => Interlocked.Read(ref _bytesReceived);

        private BatchJournal? Journal => _options.Journal;

        /// <summary>
        /// Saves every video of a task that succeeded. <paramref name="confirm"/> (a cmdlet's ShouldProcess) may decline a video;
        /// it runs on the caller's thread, after the journal check.
        /// </summary>
        public void Save(KlingTask task, Func<VideoTarget, bool>? confirm = null)
        {
            if (task == null) throw new ArgumentNullException(nameof(task));
            var recorded = task.Sources.Count == 0 ? Journal?.SourcesOf(task.TaskId) : null;
            for (var i = 0; i < task.Videos.Count && !_ct.IsCancellationRequested; i++)
            {
                var video = task.Videos[i];
                var saved = SavedPathOf(video);
                if (saved != null)
                {
                    _options.Call.Say(Messages.AlreadySaved(video, saved));
                    _done(BatchOutcome.Skipped(task, new FileInfo(saved)));
                    continue;
                }
                var target = Name(task, i, recorded);
                if (confirm == null || confirm(target)) Start(target);
            }
        }

        /// <summary>Completes when every download started so far has ended and given its outcome.</summary>
        public Task WhenAllDone()
        {
            lock (_running) return Task.WhenAll(_running.ToArray());
        }

        /// <summary>Where a video is saved whole already: by this run, or as the journal records.</summary>
        private string? SavedPathOf(KlingVideo video)
        {
            lock (_saved) if (_saved.TryGetValue((video.TaskId, video.Id), out var path)) return path;
            return Journal?.SavedPathOf(video.TaskId, video.Id);
        }

        /// <summary>The file a video goes to: its name, unless another task's video has it (then its other name).</summary>
        private VideoTarget Name(KlingTask task, int index, IReadOnlyList<string>? recorded)
        {
            var video = task.Videos[index];
            var me = (video.TaskId, video.Id);
            var path = VideoFileNames.PathFor(_options.Folder, task, index, recorded);
            lock (_names)
            {
                // The same video again in this run goes where the first went, and waits for it there.
                var taken = _names.FirstOrDefault(n => n.Value == me).Key;
                if (taken != null) return new VideoTarget(task, index, taken, recorded);
                var ofThisRun = _names.TryGetValue(path, out var runOwner);
                var owner = ofThisRun ? runOwner.TaskId : Journal?.OwnerOf(path) is { } record && !record.IsOf(video.TaskId, video.Id) ? record.TaskId : null;
                if (owner != null && (ofThisRun || !_options.Force))
                {
                    var other = VideoFileNames.AlternativePathFor(_options.Folder, task, index, recorded);
                    _options.Call.Warn(Messages.NameTaken(path, owner, video.TaskId, other));
                    path = other;
                }
                _names[path] = me;
                return new VideoTarget(task, index, path, recorded);
            }
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
                        outcome = await SaveAsync(target).ConfigureAwait(false);
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

        private async Task<BatchOutcome> SaveAsync(VideoTarget target)
        {
            var (task, video, call, force) = (target.Task, target.Video, _options.Call, _options.Force);
            // Another process may have saved it since it was named (the file in the way is then this very video).
            if (SavedPathOf(video) is { } savedSince) return Skipped(target, savedSince);
            VideoDownloader.ThrowIfInTheWay(target.Path, force);
            VideoDownloader.CreateFolderOf(target.Path);
            // Another download (another process, or the same video twice in this run) may be writing this very file.
            using var part = await VideoDownloader.TakePartAsync(target.Path, video, call, () => SavedPathOf(video) != null, _ct).ConfigureAwait(false);
            var savedMeanwhile = SavedPathOf(video);
            if (part == null || savedMeanwhile != null) return Skipped(target, savedMeanwhile ?? target.Path);
            VideoDownloader.ThrowIfInTheWay(target.Path, force);
            long counted = 0;
            Action<long, long?> received = (written, _) => Interlocked.Add(ref _bytesReceived, written - Interlocked.Exchange(ref counted, written));
            var length = await _downloader.TransferAsync(video, part, target.Path, received, call, _ct).ConfigureAwait(false);
            var path = Place(target, length);
            part.MoveTo(path, replace: force);
            Journal?.RecordSaved(video.TaskId, video.Id, path, length);
            lock (_saved) _saved[(video.TaskId, video.Id)] = path;
            call.Say(Messages.Saved(video, path, length));
            return BatchOutcome.Saved(task, new FileInfo(path));
        }

        /// <summary>
        /// The path the downloaded video is renamed to, recorded as "saving" in the journal: its name, unless another process
        /// gave it to another video while this one downloaded (then its other name, with a warning).
        /// </summary>
        private string Place(VideoTarget target, long length)
        {
            var (video, force) = (target.Video, _options.Force);
            VideoDownloader.ThrowIfInTheWay(target.Path, force);
            if (Journal == null || Journal.TryRecordSaving(video.TaskId, video.Id, target.Path, length, force)) return target.Path;
            var other = VideoFileNames.AlternativePathFor(_options.Folder, target.Task, target.Index, target.RecordedSources);
            _options.Call.Warn(Messages.NameTaken(target.Path, Journal.OwnerOf(target.Path)?.TaskId ?? "another task", video.TaskId, other));
            VideoDownloader.ThrowIfInTheWay(other, force);
            if (!Journal.TryRecordSaving(video.TaskId, video.Id, other, length, force))
                throw new KlingApiException(KlingErrorKind.FileExists, Messages.FileExists(other)) { Target = other };
            return other;
        }

        private BatchOutcome Skipped(VideoTarget target, string path)
        {
            _options.Call.Say(Messages.AlreadySaved(target.Video, path));
            return BatchOutcome.Skipped(target.Task, new FileInfo(path));
        }

        public void Dispose() => _throttle.Dispose();
    }
}
