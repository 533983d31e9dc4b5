using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace KlingPS.Core.Wire
{
    // The create requests' JSON; Models/ holds the public types, so no System.Text.Json type reaches PowerShell.
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
}
