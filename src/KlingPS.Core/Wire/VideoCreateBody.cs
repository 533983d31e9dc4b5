using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace KlingPS.Core.Wire
{
    /// <summary>
    /// The JSON of a create request, for both routes: image and image_tail are image2video's, image_list and aspect_ratio
    /// multi-image2video's. Null members are left out, so each route's body holds only its own fields, in the order
    /// its documentation gives them.
    /// </summary>
    internal sealed class VideoCreateBody
    {
        [JsonPropertyName("model_name")] public string? ModelName { get; set; }
        [JsonPropertyName("image")] public string? Image { get; set; }
        [JsonPropertyName("image_tail")] public string? ImageTail { get; set; }
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
