using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KlingPS.Core.Client;
using KlingPS.Core.Models;

namespace KlingPS.Core.Batch
{
    /// <summary>
    /// The journal of a batch, so that a re-run after a crash or restart, or another process over the same folder, pays for
    /// nothing twice: a file of its own kind (<see cref="JournalFile"/>) whose records are written and flushed to disk
    /// before the step they describe goes on: "submitting" (a run's claim of a request, with the external id it is sent
    /// with), "submitted" (its task) or "released" (the request failed), "saving" (a video downloaded whole, about to be
    /// renamed into place) and "saved" (in place). Every operation reads what other processes and commands appended, decides
    /// and appends while it holds the file alone. Opening only reads: the file is created with the first record, so a run
    /// that sends nothing (-WhatIf) creates and changes nothing.
    /// </summary>
    internal sealed class BatchJournal : IDisposable
    {
        /// <summary>How long an operation waits for the file while others use it; each use takes milliseconds.</summary>
        public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(30);

        // One operation of this journal at a time: its own threads wait here, only other journals and processes on the file.
        private readonly object _lock = new object();
        private readonly JournalFile _file;
        private readonly JournalState _state = new JournalState();
        private readonly string _folder;
        private RunLease? _lease;

        private BatchJournal(string path, TimeSpan lockTimeout)
        {
            _file = new JournalFile(path, lockTimeout);
            _folder = System.IO.Path.GetDirectoryName(path)!;
        }

        public string Path => _file.Path;

        /// <summary>This run of the journal (this command, this process): the owner of the claims it writes.</summary>
        public string RunId { get; } = Guid.NewGuid().ToString("N");

        /// <summary>Reads a journal (a missing or empty file is a new one, created with the first record).</summary>
        /// <exception cref="Errors.KlingApiException">JournalInvalid: the file is something else, left as it is; JournalLocked; LocalFile.</exception>
        public static BatchJournal Open(string path, TimeSpan? lockTimeout = null)
        {
            var journal = new BatchJournal(System.IO.Path.GetFullPath(path), lockTimeout ?? DefaultLockTimeout);
            journal._file.Read(journal.Apply, () => true);
            return journal;
        }

        /// <summary>
        /// Decides what to do with a request (by its key): use the task recorded for it; wait while a live run (another process,
        /// or another item of this one) is sending it; or send it, claimed now for this run, with the user's external id or
        /// the one derived from this journal and the key. A claim that never got its task (a run killed or stopped mid-request,
        /// or a request that failed) keeps its id, and its task is looked up before anything is sent again.
        /// </summary>
        public SubmissionClaim Claim(string key, string? userExternalId, IReadOnlyList<string> sources)
        {
            lock (_lock)
            {
                return _file.Write(Apply, add =>
                {
                    var task = _state.TaskOf(key);
                    if (task != null) return SubmissionClaim.Known(task);
                    var earlier = _state.ClaimOf(key);
                    if (earlier is { Released: false } open && (open.Claim.Run == RunId || RunLease.IsAlive(_folder, open.Claim.Run)))
                        return SubmissionClaim.Busy(open.Claim.ExternalTaskId);
                    var id = userExternalId ?? earlier?.Claim.ExternalTaskId ?? ExternalTaskIds.Derived(_file.Header!.Id, key);
                    var other = userExternalId == null ? null : _state.FirstUseOf(userExternalId);
                    var warning = other == null || other.Key == key ? null : Messages.ExternalIdUsedBefore(Path, userExternalId!, sources, other.Sources);
                    _lease ??= RunLease.Take(_folder, RunId); // held before the claim can be read by anyone
                    add.Add(new SubmittingRecord { Key = key, ExternalTaskId = id, Run = RunId, Sources = sources.ToList() });
                    return SubmissionClaim.Send(id, lookUpFirst: earlier != null, warning);
                });
            }
        }

        /// <summary>Records the task of a request this run claimed.</summary>
        public void RecordSubmitted(string key, KlingTask task)
        {
            var record = new SubmittedRecord { Key = key, TaskId = task.TaskId, Route = task.Route, ExternalTaskId = task.ExternalTaskId, Sources = task.Sources.ToList() };
            lock (_lock) _file.Write(Apply, add => { add.Add(record); return true; });
        }

        /// <summary>Gives up this run's claim of a request that failed: a waiting run may try it.</summary>
        public void Release(string key)
        {
            lock (_lock) _file.Write(Apply, add => { add.Add(new ReleasedRecord { Key = key, Run = RunId }); return true; });
        }

        /// <summary>The images recorded for a task: they name its videos when it comes back without them (Get-KlingTask).</summary>
        public IReadOnlyList<string>? SourcesOf(string taskId)
        {
            lock (_lock) return _file.Read(Apply, () => _state.SourcesOf(taskId));
        }

        /// <summary>Where a video of a task is saved whole, if the journal says so and its file is still there, whole.</summary>
        public string? SavedPathOf(string taskId, string videoId)
        {
            lock (_lock)
            {
                return _file.Read(Apply, () =>
                {
                    var last = _state.LastOf(taskId, videoId);
                    return last != null && ReferenceEquals(_state.LastAt(last.Path), last) && IsWhole(last) ? last.Path : null;
                });
            }
        }

        /// <summary>
        /// The video a path belongs to: the last one recorded there, while its file is there whole, or while the run saving it
        /// lives; null when the journal gives it to no video (a file there is then of unknown origin).
        /// </summary>
        public VideoRecord? OwnerOf(string path)
        {
            var full = System.IO.Path.GetFullPath(path);
            lock (_lock) return _file.Read(Apply, () => Owner(full));
        }

        /// <summary>
        /// Records that a video, downloaded whole, is about to become the file at <paramref name="path"/>; false, recording
        /// nothing, when the path belongs to another video by now (another process saved there) and <paramref name="replace"/>
        /// does not say to replace it.
        /// </summary>
        public bool TryRecordSaving(string taskId, string videoId, string path, long length, bool replace)
        {
            var record = new SavingRecord { TaskId = taskId, VideoId = videoId, Path = System.IO.Path.GetFullPath(path), Length = length, Run = RunId };
            lock (_lock)
            {
                return _file.Write(Apply, add =>
                {
                    var owner = Owner(record.Path);
                    if (owner != null && !owner.IsOf(taskId, videoId) && !replace) return false;
                    _lease ??= RunLease.Take(_folder, RunId); // held while the record says the path is being written
                    add.Add(record);
                    return true;
                });
            }
        }

        /// <summary>Records a video in place at <paramref name="path"/>, whole.</summary>
        public void RecordSaved(string taskId, string videoId, string path, long length)
        {
            var record = new SavedRecord { TaskId = taskId, VideoId = videoId, Path = System.IO.Path.GetFullPath(path), Length = length, Run = RunId };
            lock (_lock) _file.Write(Apply, add => { add.Add(record); return true; });
        }

        private VideoRecord? Owner(string path)
        {
            var last = _state.LastAt(path);
            if (last == null || IsWhole(last)) return last;
            return last is SavingRecord && (last.Run == RunId || RunLease.IsAlive(_folder, last.Run)) ? last : null;
        }

        private static bool IsWhole(VideoRecord record)
        {
            try
            {
                var file = new FileInfo(record.Path);
                return file.Exists && file.Length == record.Length;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return false;
            }
        }

        private void Apply(JournalRecord record) => _state.Apply(record);

        /// <summary>Ends this run: waits for an operation under way (a cancelled batch may still be recording), then lets go of the lease.</summary>
        public void Dispose()
        {
            lock (_lock)
            {
                _lease?.Dispose();
                _lease = null;
            }
        }
    }

    /// <summary>What a submitter is to do with a request, by what the journal shows (<see cref="BatchJournal.Claim"/>).</summary>
    internal sealed class SubmissionClaim
    {
        private SubmissionClaim(ClaimStep step, SubmittedRecord? task, string externalTaskId, bool lookUpFirst = false, string? warning = null)
        {
            Step = step;
            Task = task;
            ExternalTaskId = externalTaskId;
            LookUpFirst = lookUpFirst;
            Warning = warning;
        }

        public ClaimStep Step { get; }
        /// <summary>Known: the task recorded for the request.</summary>
        public SubmittedRecord? Task { get; }
        /// <summary>Send: the id to send with; Busy: the id the other run sends with; Known: the task's.</summary>
        public string ExternalTaskId { get; }
        /// <summary>Send: an earlier claim of the request never got its task, which may exist: look it up before sending.</summary>
        public bool LookUpFirst { get; }
        /// <summary>Send: what the user should know first (the user's external id was used for another request of this journal).</summary>
        public string? Warning { get; }

        public static SubmissionClaim Known(SubmittedRecord task) => new SubmissionClaim(ClaimStep.Known, task, task.ExternalTaskId ?? string.Empty);

        public static SubmissionClaim Busy(string externalTaskId) => new SubmissionClaim(ClaimStep.Busy, null, externalTaskId);

        public static SubmissionClaim Send(string externalTaskId, bool lookUpFirst, string? warning) =>
            new SubmissionClaim(ClaimStep.Send, null, externalTaskId, lookUpFirst, warning);
    }

    /// <summary>The steps of <see cref="SubmissionClaim"/>.</summary>
    internal enum ClaimStep
    {
        /// <summary>A task was recorded for the request: query it, send nothing.</summary>
        Known,
        /// <summary>A live run is sending the request: ask again shortly.</summary>
        Busy,
        /// <summary>This run has claimed the request: send it.</summary>
        Send,
    }
}
