using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KlingPS.Core.Client;
using KlingPS.Core.Models;

namespace KlingPS.Core.Batch
{
    /// <summary>
    /// The journal of a batch, so that a re-run after a crash or restart pays for nothing twice: a file of its own kind
    /// (<see cref="JournalFile"/>) whose records are written and flushed to disk before the step they describe goes on:
    /// "submitting" (the external id chosen for a request, before it is sent), "submitted" (its task), "saved" (a video saved
    /// whole, with its length). Opening only reads it: the file is created with the first record, so a run that sends
    /// nothing (-WhatIf) creates and changes nothing.
    /// </summary>
    internal sealed class BatchJournal : IDisposable
    {
        /// <summary>How long an operation waits for the file while others use it; each use takes milliseconds.</summary>
        public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(30);

        // One operation of this journal at a time: its own threads wait here, only other journals and processes on the file.
        private readonly object _lock = new object();
        private readonly JournalFile _file;
        private readonly Dictionary<string, string> _externalIds = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly Dictionary<string, SubmittedRecord> _tasks = new Dictionary<string, SubmittedRecord>(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _saved = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);

        private BatchJournal(string path, TimeSpan lockTimeout) { _file = new JournalFile(path, lockTimeout); }

        public string Path => _file.Path;

        /// <summary>
        /// Reads a journal (a missing or empty file is a new one, created with the first record).
        /// </summary>
        /// <exception cref="Errors.KlingApiException">JournalInvalid: the file is something else, left as it is; JournalLocked; LocalFile.</exception>
        public static BatchJournal Open(string path, TimeSpan? lockTimeout = null)
        {
            var journal = new BatchJournal(System.IO.Path.GetFullPath(path), lockTimeout ?? DefaultLockTimeout);
            journal._file.Read(journal.Apply, () => true);
            return journal;
        }

        /// <summary>
        /// A stable key for a request: its route, settings and full image paths (the body shows files by name only), so that
        /// the same source and settings give the same key in every run.
        /// </summary>
        public static string KeyOf(KlingVideoRequest request) =>
            KeyOf(request.Route + "|" + RequestBody.PreviewOf(request) + "|" + string.Join("|", request.AllImages));

        /// <summary>The key of a request's description: the first 16 bytes of its SHA-256, in hex.</summary>
        internal static string KeyOf(string requestDescription) => Hashing.Sha256Hex(requestDescription).Substring(0, 32);

        /// <summary>The external id to submit a request with: the one recorded in an earlier run, or a new one, recorded now.</summary>
        public string ExternalIdFor(string key, string? wanted)
        {
            lock (_lock)
            {
                return _file.Write(Apply, add =>
                {
                    if (_externalIds.TryGetValue(key, out var known)) return known;
                    var id = wanted ?? ExternalTaskIds.New();
                    add.Add(new SubmittingRecord { Key = key, ExternalTaskId = id });
                    return id;
                });
            }
        }

        /// <summary>The task an earlier run created for this key, if it recorded one.</summary>
        public bool TryGetTask(string key, out string taskId, out KlingRoute route, out string? source)
        {
            lock (_lock)
            {
                var known = _file.Read(Apply, () => _tasks.TryGetValue(key, out var t) ? t : null);
                taskId = known?.TaskId ?? string.Empty;
                route = known?.Route ?? default;
                source = known?.Sources.FirstOrDefault();
                return known != null;
            }
        }

        public void RecordSubmitted(string key, KlingTask task)
        {
            var record = new SubmittedRecord { Key = key, TaskId = task.TaskId, Route = task.Route, ExternalTaskId = task.ExternalTaskId };
            if (task.Source != null) record.Sources.Add(task.Source);
            lock (_lock) _file.Write(Apply, add => { add.Add(record); return true; });
        }

        /// <summary>True when this file was saved whole by an earlier run and is still there with the same length.</summary>
        public bool IsSaved(string path)
        {
            var full = System.IO.Path.GetFullPath(path);
            lock (_lock)
            {
                return _file.Read(Apply, () => _saved.TryGetValue(full, out var length) && File.Exists(full) && new FileInfo(full).Length == length);
            }
        }

        /// <summary>Records a video as saved whole at <paramref name="path"/>; <see cref="IsSaved"/> also checks that the file is there.</summary>
        public void RecordSaved(string videoId, string path, long length)
        {
            var record = new SavedRecord { VideoId = videoId, Path = System.IO.Path.GetFullPath(path), Length = length };
            lock (_lock) _file.Write(Apply, add => { add.Add(record); return true; });
        }

        private void Apply(JournalRecord record)
        {
            switch (record)
            {
                case SubmittingRecord submitting:
                    _externalIds[submitting.Key] = submitting.ExternalTaskId;
                    break;
                case SubmittedRecord submitted:
                    _tasks[submitted.Key] = submitted;
                    if (submitted.ExternalTaskId != null) _externalIds[submitted.Key] = submitted.ExternalTaskId;
                    break;
                case SavedRecord saved:
                    _saved[saved.Path] = saved.Length;
                    break;
            }
        }

        /// <summary>Nothing is held open between operations; waits for one under way (a cancelled batch may still be recording).</summary>
        public void Dispose()
        {
            lock (_lock) { }
        }
    }
}
