using System.Text.Json;

namespace KlingPS.Emulator.Api;

/// <summary>What the emulator keeps of a valid create request.</summary>
/// <param name="LaterFailure">Set when the service accepts the request but the task will fail (image rules).</param>
internal sealed record CreateRequest(string? ExternalTaskId, string? CallbackUrl, string Duration, string? LaterFailure);

/// <summary>
/// The service's parameter checks (API README, "Request fields"). Anything not listed there is
/// passed through unchecked, as the service ignores fields it does not know. A JSON null counts
/// as an absent field.
/// </summary>
internal static class CreateRequestValidator
{
    private static readonly string[] ImageModels =
    [
        "kling-v1", "kling-v1-5", "kling-v1-6", "kling-v2-master", "kling-v2-1",
        "kling-v2-1-master", "kling-v2-5-turbo", "kling-v2-6", "kling-v3",
    ];
    private static readonly string[] MultiImageModels = ["kling-v1-6"];
    private const int MaxTextLength = 2500;
    private const int MaxDynamicMasks = 6;
    private const int MinTrajectoryPoints = 2, MaxTrajectoryPoints = 77;

    /// <exception cref="BadRequest">The service would answer 1201.</exception>
    public static CreateRequest Validate(string route, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new BadRequest("request body must be a JSON object");
        bool multi = route == Routes.MultiImageToVideo;

        string? laterFailure = multi ? CheckImageList(root) : CheckSingleImage(root);
        CheckMasks(root);

        Choice(root, "model_name", multi ? MultiImageModels : ImageModels);
        Choice(root, "mode", ["std", "pro"]);
        string duration = Choice(root, "duration", ["5", "10"]) ?? "5";
        if (multi) Choice(root, "aspect_ratio", ["16:9", "9:16", "1:1"]);

        if (Present(root, "cfg_scale", out var cfg)
            && (cfg.ValueKind != JsonValueKind.Number || cfg.GetDouble() is < 0 or > 1))
            throw new BadRequest("cfg_scale must be a number between 0 and 1");

        string? prompt = Text(root, "prompt");
        if (multi && string.IsNullOrEmpty(prompt)) throw new BadRequest("prompt is required");
        if (prompt?.Length > MaxTextLength) throw new BadRequest($"prompt must be at most {MaxTextLength} characters");
        if (Text(root, "negative_prompt")?.Length > MaxTextLength)
            throw new BadRequest($"negative_prompt must be at most {MaxTextLength} characters");

        string? externalId = Text(root, "external_task_id");
        return new CreateRequest(string.IsNullOrEmpty(externalId) ? null : externalId, Text(root, "callback_url"), duration, laterFailure);
    }

    private static string? CheckSingleImage(JsonElement root)
    {
        if (!Present(root, "image", out var image)) throw new BadRequest("image is required");
        string? failure = ImageCheck.Check("image", image);
        bool hasTail = Present(root, "image_tail", out var tail);
        if (hasTail) failure ??= ImageCheck.Check("image_tail", tail);

        // Kling: image_tail, the motion brush masks and camera_control exclude one another.
        int exclusive = (hasTail ? 1 : 0)
            + (Present(root, "static_mask", out _) || Present(root, "dynamic_masks", out _) ? 1 : 0)
            + (Present(root, "camera_control", out _) ? 1 : 0);
        if (exclusive > 1)
            throw new BadRequest("image_tail, static_mask/dynamic_masks and camera_control cannot be used together");
        return failure;
    }

    private static string? CheckImageList(JsonElement root)
    {
        if (!Present(root, "image_list", out var list) || list.ValueKind != JsonValueKind.Array)
            throw new BadRequest("image_list is required and must be an array");
        int count = list.GetArrayLength();
        if (count is < 2 or > 4) throw new BadRequest($"image_list must hold 2 to 4 images, not {count}");

        string? failure = null;
        int index = 0;
        foreach (var item in list.EnumerateArray())
        {
            string field = $"image_list[{index++}].image";
            if (item.ValueKind != JsonValueKind.Object || !Present(item, "image", out var image))
                throw new BadRequest($"{field} is required");
            failure ??= ImageCheck.Check(field, image);
        }
        return failure;
    }

    // Masks must be valid images, but their size rules (same as the input image) are not emulated,
    // so their later-failure result is deliberately ignored.
    private static void CheckMasks(JsonElement root)
    {
        if (Present(root, "static_mask", out var staticMask)) _ = ImageCheck.Check("static_mask", staticMask);
        if (!Present(root, "dynamic_masks", out var masks)) return;
        if (masks.ValueKind != JsonValueKind.Array) throw new BadRequest("dynamic_masks must be an array");
        if (masks.GetArrayLength() > MaxDynamicMasks) throw new BadRequest($"dynamic_masks allows at most {MaxDynamicMasks} groups");

        int index = 0;
        foreach (var group in masks.EnumerateArray())
        {
            string field = $"dynamic_masks[{index++}]";
            if (group.ValueKind != JsonValueKind.Object || !Present(group, "mask", out var mask))
                throw new BadRequest($"{field}.mask is required");
            _ = ImageCheck.Check($"{field}.mask", mask);
            if (!Present(group, "trajectories", out var points) || points.ValueKind != JsonValueKind.Array)
                throw new BadRequest($"{field}.trajectories is required and must be an array");
            int count = points.GetArrayLength();
            if (count is < MinTrajectoryPoints or > MaxTrajectoryPoints)
                throw new BadRequest($"{field}.trajectories must hold {MinTrajectoryPoints} to {MaxTrajectoryPoints} points, not {count}");
            foreach (var point in points.EnumerateArray())
            {
                if (point.ValueKind != JsonValueKind.Object || !IsInteger(point, "x") || !IsInteger(point, "y"))
                    throw new BadRequest($"{field}.trajectories points must be {{\"x\":int,\"y\":int}}");
            }
        }
    }

    private static bool IsInteger(JsonElement point, string name) =>
        point.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _);

    /// <summary>An optional string field that must be one of the allowed values (so "5" passes and 5 does not).</summary>
    private static string? Choice(JsonElement root, string name, string[] allowed)
    {
        string? value = Text(root, name);
        if (value is not null && !allowed.Contains(value))
            throw new BadRequest($"{name} must be one of {string.Join(", ", allowed.Select(a => $"\"{a}\""))}, not \"{value}\"");
        return value;
    }

    private static string? Text(JsonElement root, string name)
    {
        if (!Present(root, name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String) throw new BadRequest($"{name} must be a string");
        return value.GetString();
    }

    private static bool Present(JsonElement root, string name, out JsonElement value) =>
        root.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
}
