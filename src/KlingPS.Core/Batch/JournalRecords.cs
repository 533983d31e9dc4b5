using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;
using KlingPS.Core.Models;

namespace KlingPS.Core.Batch
{
    /// <summary>The journal's first line: what the file is, the format of the lines after it, and the journal's identity.</summary>
    internal sealed class JournalHeader
    {
        /// <summary>What <see cref="Journal"/> holds in every journal: a file without it is something else.</summary>
        public const string Name = "KlingPS batch journal";
        /// <summary>The format this version writes and reads; 0.1.0 wrote records without a header (format 1).</summary>
        public const int CurrentFormat = 2;

        [JsonPropertyName("journal"), JsonRequired] public string Journal { get; set; } = string.Empty;
        [JsonPropertyName("format"), JsonRequired] public int Format { get; set; }
        /// <summary>Made when the journal is created (32 hex digits); the external ids of its requests derive from it.</summary>
        [JsonPropertyName("id"), JsonRequired] public string Id { get; set; } = string.Empty;
        [JsonPropertyName("created")] public DateTimeOffset Created { get; set; }

        public static JournalHeader New() =>
            new JournalHeader { Journal = Name, Format = CurrentFormat, Id = Guid.NewGuid().ToString("N"), Created = DateTimeOffset.UtcNow };
    }

    /// <summary>One line of the journal after its header; "kind" says which record it is.</summary>
    [JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
    [JsonDerivedType(typeof(SubmittingRecord), "submitting")]
    [JsonDerivedType(typeof(SubmittedRecord), "submitted")]
    [JsonDerivedType(typeof(ReleasedRecord), "released")]
    [JsonDerivedType(typeof(SavingRecord), "saving")]
    [JsonDerivedType(typeof(SavedRecord), "saved")]
    internal abstract class JournalRecord
    {
    }

    /// <summary>
    /// A run's claim of a request (by its key): the external id it is sent with, written before it is sent. Until the task
    /// or a release is recorded, other runs leave the request to this one while it lives (<see cref="RunLease"/>).
    /// </summary>
    internal sealed class SubmittingRecord : JournalRecord
    {
        [JsonPropertyName("key"), JsonRequired] public string Key { get; set; } = string.Empty;
        [JsonPropertyName("external_task_id"), JsonRequired] public string ExternalTaskId { get; set; } = string.Empty;
        [JsonPropertyName("run"), JsonRequired] public string Run { get; set; } = string.Empty;
        [JsonPropertyName("sources")] public List<string> Sources { get; set; } = new List<string>();
    }

    /// <summary>A run gave up a claim without a task (the request failed): the next run to claim it looks the task up first.</summary>
    internal sealed class ReleasedRecord : JournalRecord
    {
        [JsonPropertyName("key"), JsonRequired] public string Key { get; set; } = string.Empty;
        [JsonPropertyName("run"), JsonRequired] public string Run { get; set; } = string.Empty;
    }

    /// <summary>The task the service created for a request (by its key), and what it was made from.</summary>
    internal sealed class SubmittedRecord : JournalRecord
    {
        [JsonPropertyName("key"), JsonRequired] public string Key { get; set; } = string.Empty;
        [JsonPropertyName("task_id"), JsonRequired] public string TaskId { get; set; } = string.Empty;
        [JsonPropertyName("route"), JsonRequired, JsonConverter(typeof(JsonStringEnumConverter<KlingRoute>))] public KlingRoute Route { get; set; }
        [JsonPropertyName("external_task_id")] public string? ExternalTaskId { get; set; }
        /// <summary>The images the task was made from (paths or URLs): they name its videos when it comes back without them.</summary>
        [JsonPropertyName("sources")] public List<string> Sources { get; set; } = new List<string>();
    }

    /// <summary>A video of a task at a path: the records of saving it.</summary>
    internal abstract class VideoRecord : JournalRecord
    {
        [JsonPropertyName("task_id"), JsonRequired] public string TaskId { get; set; } = string.Empty;
        [JsonPropertyName("video_id"), JsonRequired] public string VideoId { get; set; } = string.Empty;
        /// <summary>The full path of the file.</summary>
        [JsonPropertyName("path"), JsonRequired] public string Path { get; set; } = string.Empty;
        [JsonPropertyName("length"), JsonRequired] public long Length { get; set; }
        [JsonPropertyName("run"), JsonRequired] public string Run { get; set; } = string.Empty;

        public bool IsOf(string taskId, string videoId) => TaskId == taskId && VideoId == videoId;
    }

    /// <summary>
    /// A video downloaded whole, about to be renamed into place at its path: the path is this video's from now on (while its
    /// run lives, or once the file is there with this length). After a kill between the rename and "saved", a file there
    /// with this length is this video, saved.
    /// </summary>
    internal sealed class SavingRecord : VideoRecord
    {
    }

    /// <summary>A video in place at its path, with its length.</summary>
    internal sealed class SavedRecord : VideoRecord
    {
    }

    /// <summary>
    /// The journal's own source-generated serializer (no reflection, as on every runtime the module loads in). Non-ASCII
    /// text is escaped, so a line is plain ASCII whatever the paths hold.
    /// </summary>
    [JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(JournalHeader))]
    [JsonSerializable(typeof(JournalRecord))]
    internal sealed partial class JournalJsonContext : JsonSerializerContext
    {
    }
}
