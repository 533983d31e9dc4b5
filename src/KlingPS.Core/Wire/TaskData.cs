using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KlingPS.Core.Wire
{
    // A task as creates, queries and lists answer it.
    internal sealed class TaskData
    {
        [JsonPropertyName("task_id")] public JsonElement TaskId { get; set; }
        [JsonPropertyName("task_status")] public string? TaskStatus { get; set; }
        [JsonPropertyName("task_status_msg")] public string? TaskStatusMessage { get; set; }
        [JsonPropertyName("task_info")] public TaskInfo? TaskInfo { get; set; }
        [JsonPropertyName("task_result")] public TaskResult? TaskResult { get; set; }
        [JsonPropertyName("created_at")] public JsonElement CreatedAt { get; set; }
        [JsonPropertyName("updated_at")] public JsonElement UpdatedAt { get; set; }
    }

    internal sealed class TaskInfo
    {
        [JsonPropertyName("external_task_id")] public string? ExternalTaskId { get; set; }
    }

    internal sealed class TaskResult
    {
        [JsonPropertyName("videos")] public List<VideoData>? Videos { get; set; }
    }

    internal sealed class VideoData
    {
        [JsonPropertyName("id")] public JsonElement Id { get; set; }
        [JsonPropertyName("url")] public string? Url { get; set; }
        [JsonPropertyName("duration")] public JsonElement Duration { get; set; }
    }
}
