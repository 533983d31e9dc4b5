using System;
using System.Collections.Generic;
using System.Globalization;
using KlingPS.Core.Models;
using KlingPS.Core.Wire;

namespace KlingPS.Core.Client
{
    /// <summary>Builds the public <see cref="KlingTask"/> from whatever shape the service sent.</summary>
    internal static class TaskMapper
    {
        public static KlingTask ToTask(TaskData data, KlingRoute route, string? requestId, string? source)
        {
            var taskId = ResponseReader.ReadString(data.TaskId) ?? string.Empty;
            var videos = new List<KlingVideo>();
            // task_result may be {}, null or absent while a task runs; only a succeeded task has videos.
            foreach (var v in data.TaskResult?.Videos ?? new List<VideoData>())
            {
                if (string.IsNullOrEmpty(v.Url) || !Uri.TryCreate(v.Url, UriKind.Absolute, out var url)) continue;
                videos.Add(new KlingVideo(ResponseReader.ReadString(v.Id) ?? string.Empty, url, ParseSeconds(ResponseReader.ReadString(v.Duration)), taskId));
            }
            return new KlingTask(taskId, route, KlingTaskStatusExtensions.Parse(data.TaskStatus),
                string.IsNullOrEmpty(data.TaskStatusMessage) ? null : data.TaskStatusMessage,
                data.TaskInfo?.ExternalTaskId, FromUnixMs(ResponseReader.ReadLong(data.CreatedAt)), FromUnixMs(ResponseReader.ReadLong(data.UpdatedAt)),
                videos, requestId, source);
        }

        internal static TimeSpan ParseSeconds(string? text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
                ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;

        private static DateTimeOffset? FromUnixMs(long? ms) =>
            ms.HasValue && ms.Value > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms.Value) : (DateTimeOffset?)null;
    }
}
