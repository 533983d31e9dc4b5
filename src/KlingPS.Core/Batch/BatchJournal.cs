using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using KlingPS.Core.Client;
using KlingPS.Core.Models;

namespace KlingPS.Core.Batch
{
    /// <summary>
    /// An append-only journal of a batch, so that a re-run after a crash or restart pays for nothing twice.
    /// Each line is one JSON record, written and flushed to disk before the step it describes goes on:
    /// "submitting" (the external id chosen for a request, before it is sent), "submitted" (its task),
    /// "saved" (a video saved whole, with its length). A line cut short by a kill is ignored on reading.
    /// </summary>
    internal sealed class BatchJournal : IDisposable
    {
        // One pipeline opens a journal twice (New-KlingImageVideo and Save-KlingVideo -JournalPath J): every journal of the
        // process reads and appends under this lock, each append at the file's end, so their lines follow each other
        // instead of overwriting each other.
        private static readonly object FileLock = new object();
        private readonly object _lock = new object();
        private readonly FileStream _stream;
        private readonly Dictionary<string, string> _externalIds = new Dictionary<string, string>();
        private readonly Dictionary<string, (string TaskId, KlingRoute Route, string? Source)> _tasks = new Dictionary<string, (string, KlingRoute, string?)>();
        private readonly Dictionary<string, long> _saved = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);

        private BatchJournal(string path, FileStream stream)
        {
            Path = path;
            _stream = stream;
        }

        public string Path { get; }

        /// <summary>Opens (or creates) a journal and reads what earlier runs recorded.</summary>
        public static BatchJournal Open(string path)
        {
            var full = System.IO.Path.GetFullPath(path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            var stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
            var journal = new BatchJournal(full, stream);
            lock (FileLock) journal.Load();
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
                if (_externalIds.TryGetValue(key, out var known)) return known;
                var id = wanted ?? ExternalTaskIds.New();
                Append(new Dictionary<string, string?> { ["kind"] = "submitting", ["key"] = key, ["external_task_id"] = id });
                _externalIds[key] = id;
                return id;
            }
        }

        /// <summary>The task an earlier run created for this key, if it recorded one.</summary>
        public bool TryGetTask(string key, out string taskId, out KlingRoute route, out string? source)
        {
            lock (_lock)
            {
                if (_tasks.TryGetValue(key, out var t)) { taskId = t.TaskId; route = t.Route; source = t.Source; return true; }
            }
            taskId = string.Empty; route = default; source = null;
            return false;
        }

        public void RecordSubmitted(string key, KlingTask task)
        {
            lock (_lock)
            {
                Append(new Dictionary<string, string?>
                {
                    ["kind"] = "submitted", ["key"] = key, ["task_id"] = task.TaskId, ["route"] = task.Route.ToString(),
                    ["external_task_id"] = task.ExternalTaskId, ["source"] = task.Source,
                });
                _tasks[key] = (task.TaskId, task.Route, task.Source);
            }
        }

        /// <summary>True when this file was saved whole by an earlier run and is still there with the same length.</summary>
        public bool IsSaved(string path)
        {
            var full = System.IO.Path.GetFullPath(path);
            lock (_lock)
            {
                return _saved.TryGetValue(full, out var length) && File.Exists(full) && new FileInfo(full).Length == length;
            }
        }

        /// <summary>Records a video as saved whole at <paramref name="path"/>; <see cref="IsSaved"/> also checks that the file is there.</summary>
        public void RecordSaved(string videoId, string path, long length)
        {
            var full = System.IO.Path.GetFullPath(path);
            lock (_lock)
            {
                Append(new Dictionary<string, string?> { ["kind"] = "saved", ["video_id"] = videoId, ["path"] = full, ["length"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                _saved[full] = length;
            }
        }

        private void Load()
        {
            _stream.Position = 0;
            using var reader = new StreamReader(_stream, new UTF8Encoding(false), false, 4096, leaveOpen: true);
            string? line;
            long goodEnd = 0;
            while ((line = reader.ReadLine()) != null)
            {
                if (!TryApply(line)) break;
                goodEnd += Encoding.UTF8.GetByteCount(line) + 1;
            }
            // Drop a torn last line (a kill mid-write) so that the next record starts on a clean line.
            _stream.SetLength(Math.Min(goodEnd, _stream.Length));
            _stream.Position = _stream.Length;
        }

        private bool TryApply(string line)
        {
            if (line.Length == 0) return true;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var r = doc.RootElement;
                string? Get(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                switch (Get("kind"))
                {
                    case "submitting":
                        _externalIds[Get("key")!] = Get("external_task_id")!;
                        break;
                    case "submitted":
                        var route = Enum.TryParse<KlingRoute>(Get("route"), out var parsed) ? parsed : KlingRoute.ImageToVideo;
                        _tasks[Get("key")!] = (Get("task_id")!, route, Get("source"));
                        if (Get("external_task_id") is string ext) _externalIds[Get("key")!] = ext;
                        break;
                    case "saved":
                        _saved[Get("path")!] = long.Parse(Get("length")!, System.Globalization.CultureInfo.InvariantCulture);
                        break;
                }
                return true;
            }
            catch (Exception e) when (e is JsonException || e is FormatException || e is NullReferenceException || e is ArgumentNullException)
            {
                return false;
            }
        }

        private void Append(Dictionary<string, string?> record)
        {
            var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                foreach (var pair in record) if (pair.Value != null) writer.WriteString(pair.Key, pair.Value);
                writer.WriteEndObject();
            }
            buffer.WriteByte((byte)'\n');
            // One write of a whole line, at the end (another journal of this process may have appended), then to the
            // disk itself: a kill leaves at most one torn line.
            lock (FileLock)
            {
                _stream.Seek(0, SeekOrigin.End);
                _stream.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
                _stream.Flush(flushToDisk: true);
            }
        }

        /// <summary>Closes the file; waits for a record being written (a cancelled batch may still be recording).</summary>
        public void Dispose()
        {
            lock (_lock) _stream.Dispose();
        }
    }
}
