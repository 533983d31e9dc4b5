using System;
using System.Collections.Generic;
using KlingPS.Core.Downloading;

namespace KlingPS.Core.Batch
{
    /// <summary>What a journal's records say, as the last record of each thing left it. Applied in file order; not thread-safe.</summary>
    internal sealed class JournalState
    {
        private readonly Dictionary<string, SubmittingRecord> _claims = new Dictionary<string, SubmittingRecord>(StringComparer.Ordinal);
        private readonly HashSet<string> _released = new HashSet<string>(StringComparer.Ordinal);
        private readonly Dictionary<string, SubmittedRecord> _tasks = new Dictionary<string, SubmittedRecord>(StringComparer.Ordinal);
        private readonly Dictionary<string, SubmittingRecord> _externalIds = new Dictionary<string, SubmittingRecord>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _sourcesOfTasks = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        private readonly Dictionary<string, VideoRecord> _paths = new Dictionary<string, VideoRecord>(VideoFileNames.PathComparer);
        private readonly Dictionary<string, VideoRecord> _videos = new Dictionary<string, VideoRecord>(StringComparer.Ordinal);

        public void Apply(JournalRecord record)
        {
            switch (record)
            {
                case SubmittingRecord submitting:
                    _claims[submitting.Key] = submitting;
                    _released.Remove(submitting.Key);
                    if (!_externalIds.ContainsKey(submitting.ExternalTaskId)) _externalIds[submitting.ExternalTaskId] = submitting;
                    break;
                case ReleasedRecord released:
                    if (_claims.TryGetValue(released.Key, out var claim) && claim.Run == released.Run) _released.Add(released.Key);
                    break;
                case SubmittedRecord submitted:
                    _tasks[submitted.Key] = submitted;
                    if (submitted.Sources.Count > 0) _sourcesOfTasks[submitted.TaskId] = submitted.Sources;
                    break;
                case VideoRecord video:
                    _paths[video.Path] = video;
                    _videos[video.TaskId + "/" + video.VideoId] = video;
                    break;
            }
        }

        /// <summary>The task recorded for a request's key.</summary>
        public SubmittedRecord? TaskOf(string key) => _tasks.TryGetValue(key, out var task) ? task : null;

        /// <summary>The last claim of a key, and whether its run gave it up; null when nobody claimed it.</summary>
        public (SubmittingRecord Claim, bool Released)? ClaimOf(string key) =>
            _claims.TryGetValue(key, out var claim) ? (claim, _released.Contains(key)) : ((SubmittingRecord, bool)?)null;

        /// <summary>The images recorded for a task (for naming its videos when it comes back without them).</summary>
        public IReadOnlyList<string>? SourcesOf(string taskId) => _sourcesOfTasks.TryGetValue(taskId, out var sources) ? sources : null;

        /// <summary>The last record of saving a video to a path.</summary>
        public VideoRecord? LastAt(string path) => _paths.TryGetValue(path, out var record) ? record : null;

        /// <summary>The last record of saving a video of a task.</summary>
        public VideoRecord? LastOf(string taskId, string videoId) => _videos.TryGetValue(taskId + "/" + videoId, out var record) ? record : null;

        /// <summary>The first claim that used an external id, whatever its request.</summary>
        public SubmittingRecord? FirstUseOf(string externalTaskId) => _externalIds.TryGetValue(externalTaskId, out var use) ? use : null;
    }
}
