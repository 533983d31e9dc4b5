using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KlingPS.Emulator;

/// <summary>
/// BadTaskField: puts a malformed value into one task of a query or list answer, the way a service
/// with one corrupt record answers, while every other task and field stays right.
/// </summary>
internal static partial class TaskFieldFault
{
    // "created_at", "task_status", "task_info.external_task_id", "task_result.videos[0]", "task_result.videos[0].url"
    [GeneratedRegex(@"^(?<name>[A-Za-z_][A-Za-z0-9_]*)(\[(?<index>[0-9]{1,4})\])?$")]
    private static partial Regex Segment();

    /// <exception cref="ArgumentException">The path is not dot-separated names, each with at most one [index].</exception>
    public static void CheckPath(string path)
    {
        if (string.IsNullOrEmpty(path) || !path.Split('.').All(s => Segment().IsMatch(s)))
            throw new ArgumentException($"field '{path}' must be names separated by dots, each optionally followed by [index]");
    }

    /// <summary>Spoils the selected task in <paramref name="data"/>: a query's task object or a list's array of them.</summary>
    public static void Apply(FaultRule rule, JsonNode? data)
    {
        var task = data switch
        {
            JsonArray list => list.OfType<JsonObject>().FirstOrDefault(t => Selected(rule, t)),
            JsonObject one when Selected(rule, one) => one,
            _ => null,
        };
        if (task is not null) Set(task, rule.Field, JsonNode.Parse(rule.EffectiveValue.GetRawText()));
    }

    private static bool Selected(FaultRule rule, JsonObject task) =>
        (rule.TaskId is null && rule.ExternalTaskId is null)
        || (rule.TaskId is not null && (string?)task["task_id"] == rule.TaskId)
        || (rule.ExternalTaskId is not null && (string?)task["task_info"]?["external_task_id"] == rule.ExternalTaskId);

    /// <summary>Sets the value at the path, making the objects and array entries on the way when they are missing.</summary>
    private static void Set(JsonObject task, string path, JsonNode? value)
    {
        string[] segments = path.Split('.');
        JsonObject parent = task;
        for (int i = 0; i < segments.Length; i++)
        {
            var match = Segment().Match(segments[i]);
            string name = match.Groups["name"].Value;
            bool last = i == segments.Length - 1;
            if (!match.Groups["index"].Success)
            {
                if (last) { parent[name] = value; return; }
                parent = parent[name] as JsonObject ?? (JsonObject)(parent[name] = new JsonObject());
                continue;
            }

            var array = parent[name] as JsonArray ?? (JsonArray)(parent[name] = new JsonArray());
            int index = Math.Min(int.Parse(match.Groups["index"].Value), array.Count); // past the end: a new last entry
            JsonNode? entry = last ? value : array.ElementAtOrDefault(index) as JsonObject ?? new JsonObject();
            if (index == array.Count) array.Add(entry);
            else if (!ReferenceEquals(array[index], entry)) array[index] = entry;
            if (last) return;
            parent = (JsonObject)entry!;
        }
    }
}
