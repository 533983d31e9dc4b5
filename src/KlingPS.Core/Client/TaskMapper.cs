using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using KlingPS.Core.Models;
using KlingPS.Core.Validation;
using KlingPS.Core.Wire;

namespace KlingPS.Core.Client
{
    /// <summary>
    /// Builds the public <see cref="KlingTask"/> from one task object of an answer, whatever shape the service sent, and
    /// names the field when one is malformed (<see cref="TaskFieldException"/>): the caller words the error for its request,
    /// and it concerns this task only.
    /// </summary>
    internal static class TaskMapper
    {
        /// <summary>The last millisecond a <see cref="DateTimeOffset"/> holds (9999-12-31).</summary>
        private const long MaximumUnixMs = 253402300799999;

        /// <exception cref="TaskFieldException">A field of the task is missing or malformed.</exception>
        public static KlingTask ToTask(JsonElement data, KlingRoute route, string? requestId)
        {
            if (data.ValueKind != JsonValueKind.Object) throw new TaskFieldException(null, "data", $"{Shown(data)} is not a task object");
            var taskId = data.TryGetProperty("task_id", out var id) ? ResponseReader.ReadString(id) : null;
            if (!TaskIds.IsUsable(taskId)) throw new TaskFieldException(null, "task_id", taskId == null ? "it is missing" : $"'{taskId}' is not a task id");
            TaskData wire;
            try
            {
                wire = JsonSerializer.Deserialize(data, KlingJson.Context.TaskData)!;
            }
            catch (JsonException e)
            {
                var field = e.Path == null || !e.Path.StartsWith("$.", StringComparison.Ordinal) ? "task" : e.Path.Substring(2);
                throw new TaskFieldException(taskId, field, $"{Shown(At(data, field))} is not of the expected type");
            }

            var videos = new List<KlingVideo>();
            // task_result may be {}, null or absent while a task runs; only a succeeded task has videos.
            var entries = wire.TaskResult?.Videos ?? new List<VideoData>();
            for (var i = 0; i < entries.Count; i++)
            {
                var v = entries[i] ?? throw new TaskFieldException(taskId, $"task_result.videos[{i}]", "null is not a video");
                if (!Uri.TryCreate(v.Url, UriKind.Absolute, out var url))
                    throw new TaskFieldException(taskId, $"task_result.videos[{i}].url", $"{Shown(v.Url)} is not a video URL");
                videos.Add(new KlingVideo(ResponseReader.ReadString(v.Id) ?? string.Empty, url, ParseSeconds(ResponseReader.ReadString(v.Duration)), taskId!));
            }
            return new KlingTask(taskId!, route, KlingTaskStatusExtensions.Parse(wire.TaskStatus),
                string.IsNullOrEmpty(wire.TaskStatusMessage) ? null : wire.TaskStatusMessage,
                wire.TaskInfo?.ExternalTaskId, Time(wire.CreatedAt, "created_at", taskId!), Time(wire.UpdatedAt, "updated_at", taskId!),
                videos, requestId, null);
        }

        internal static TimeSpan ParseSeconds(string? text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
                ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;

        /// <summary>Unix milliseconds (a number or its text); absent, null or 0 is no time.</summary>
        private static DateTimeOffset? Time(JsonElement value, string field, string taskId)
        {
            if (value.ValueKind == JsonValueKind.Undefined || value.ValueKind == JsonValueKind.Null) return null;
            var ms = ResponseReader.ReadLong(value);
            if (ms == 0) return null;
            if (ms == null || ms < 0 || ms > MaximumUnixMs) throw new TaskFieldException(taskId, field, $"{Shown(value)} is not a time in Unix milliseconds");
            return DateTimeOffset.FromUnixTimeMilliseconds(ms.Value);
        }

        /// <summary>The value at a field path such as "task_result.videos[0].url", as far as it exists.</summary>
        private static JsonElement At(JsonElement data, string field)
        {
            var at = data;
            foreach (var segment in field.Split('.'))
            {
                var bracket = segment.IndexOf('[');
                var name = bracket < 0 ? segment : segment.Substring(0, bracket);
                if (at.ValueKind != JsonValueKind.Object || !at.TryGetProperty(name, out at)) return default;
                if (bracket < 0) continue;
                if (!int.TryParse(segment.Substring(bracket + 1).TrimEnd(']'), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                    || at.ValueKind != JsonValueKind.Array || index >= at.GetArrayLength()) return default;
                at = at[index];
            }
            return at;
        }

        /// <summary>A value as the answer had it, cut short: enough to recognise it in an error message.</summary>
        private static string Shown(JsonElement value) => value.ValueKind == JsonValueKind.Undefined ? "nothing" : Shown(value.GetRawText());

        private static string Shown(string? text) => text == null ? "nothing" : text.Length <= 40 ? text : text.Substring(0, 37) + "...";
    }

    /// <summary>A field of one task in an answer is missing or malformed; the rest of the answer may be fine.</summary>
    internal sealed class TaskFieldException : Exception
    {
        public TaskFieldException(string? taskId, string field, string problem) : base(field + ": " + problem)
        {
            TaskId = taskId;
            Field = field;
            Problem = problem;
        }

        /// <summary>The task's id, when the answer had a usable one.</summary>
        public string? TaskId { get; }
        /// <summary>Where in the task object: "created_at", "task_result.videos[0].url".</summary>
        public string Field { get; }
        /// <summary>What is wrong with it, showing the value.</summary>
        public string Problem { get; }
    }
}
