using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

// The JSON shapes on the wire, kept internal so that no System.Text.Json type leaks into what
// PowerShell sees; Models/ holds the public types built from them.
namespace KlingPS.Wire
{
    internal sealed class ImageToVideoBody
    {
        [JsonPropertyName("model_name")] public string? ModelName { get; set; }
        [JsonPropertyName("image")] public string? Image { get; set; }
        [JsonPropertyName("image_tail")] public string? ImageTail { get; set; }
        [JsonPropertyName("prompt")] public string? Prompt { get; set; }
        [JsonPropertyName("negative_prompt")] public string? NegativePrompt { get; set; }
        [JsonPropertyName("cfg_scale")] public double? CfgScale { get; set; }
        [JsonPropertyName("mode")] public string? Mode { get; set; }
        [JsonPropertyName("duration")] public string? Duration { get; set; }
        [JsonPropertyName("static_mask")] public string? StaticMask { get; set; }
        [JsonPropertyName("dynamic_masks")] public List<DynamicMaskBody>? DynamicMasks { get; set; }
        [JsonPropertyName("callback_url")] public string? CallbackUrl { get; set; }
        [JsonPropertyName("external_task_id")] public string? ExternalTaskId { get; set; }
    }

    internal sealed class MultiImageToVideoBody
    {
        [JsonPropertyName("model_name")] public string? ModelName { get; set; }
        [JsonPropertyName("image_list")] public List<ImageListItem>? ImageList { get; set; }
        [JsonPropertyName("prompt")] public string? Prompt { get; set; }
        [JsonPropertyName("negative_prompt")] public string? NegativePrompt { get; set; }
        [JsonPropertyName("cfg_scale")] public double? CfgScale { get; set; }
        [JsonPropertyName("mode")] public string? Mode { get; set; }
        [JsonPropertyName("duration")] public string? Duration { get; set; }
        [JsonPropertyName("aspect_ratio")] public string? AspectRatio { get; set; }
        [JsonPropertyName("static_mask")] public string? StaticMask { get; set; }
        [JsonPropertyName("dynamic_masks")] public List<DynamicMaskBody>? DynamicMasks { get; set; }
        [JsonPropertyName("callback_url")] public string? CallbackUrl { get; set; }
        [JsonPropertyName("external_task_id")] public string? ExternalTaskId { get; set; }
    }

    internal sealed class ImageListItem
    {
        [JsonPropertyName("image")] public string? Image { get; set; }
    }

    internal sealed class DynamicMaskBody
    {
        [JsonPropertyName("mask")] public string? Mask { get; set; }
        [JsonPropertyName("trajectories")] public List<PointBody>? Trajectories { get; set; }
    }

    internal sealed class PointBody
    {
        [JsonPropertyName("x")] public int X { get; set; }
        [JsonPropertyName("y")] public int Y { get; set; }
    }

    /// <summary>Kling's envelope: {code, message, request_id, data}. Success is code == 0, never the message text.</summary>
    internal sealed class Envelope<T>
    {
        [JsonPropertyName("code")] public JsonElement Code { get; set; }
        [JsonPropertyName("message")] public string? Message { get; set; }
        [JsonPropertyName("request_id")] public string? RequestId { get; set; }
        [JsonPropertyName("data")] public T? Data { get; set; }
        /// <summary>CometAPI's gateway errors come as {"error": {...}} instead.</summary>
        [JsonPropertyName("error")] public GatewayError? Error { get; set; }
    }

    internal sealed class GatewayError
    {
        [JsonPropertyName("message")] public string? Message { get; set; }
        [JsonPropertyName("type")] public string? Type { get; set; }
        [JsonPropertyName("param")] public string? Param { get; set; }
        [JsonPropertyName("code")] public JsonElement Code { get; set; }
    }

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

    [JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(ImageToVideoBody))]
    [JsonSerializable(typeof(MultiImageToVideoBody))]
    [JsonSerializable(typeof(Envelope<TaskData>))]
    [JsonSerializable(typeof(Envelope<List<TaskData>>))]
    [JsonSerializable(typeof(Envelope<JsonElement>))]
    [JsonSerializable(typeof(TaskData))]
    internal sealed partial class KlingJsonContext : JsonSerializerContext
    {
    }
}
