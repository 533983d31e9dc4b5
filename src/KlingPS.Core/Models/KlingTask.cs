using System;
using System.Collections.Generic;

namespace KlingPS.Core.Models
{
    /// <summary>A Kling generation task as last seen from the service. Immutable: a new query gives a new object.</summary>
    public sealed class KlingTask
    {
        public KlingTask(string taskId, KlingRoute route, KlingTaskStatus status, string? statusMessage, string? externalTaskId,
            DateTimeOffset? createdAt, DateTimeOffset? updatedAt, IReadOnlyList<KlingVideo> videos, string? requestId, string? source)
        {
            TaskId = taskId;
            Route = route;
            Status = status;
            StatusMessage = statusMessage;
            ExternalTaskId = externalTaskId;
            CreatedAt = createdAt;
            UpdatedAt = updatedAt;
            Videos = videos;
            RequestId = requestId;
            Source = source;
            Sources = source == null ? Array.Empty<string>() : new[] { source };
        }

        /// <summary>The service's task id (digits, kept as text).</summary>
        public string TaskId { get; }
        /// <summary>The endpoint the task was created on, and must be queried on.</summary>
        public KlingRoute Route { get; }
        /// <summary>Where the task is.</summary>
        public KlingTaskStatus Status { get; }
        /// <summary>The service's reason when the task failed.</summary>
        public string? StatusMessage { get; }
        /// <summary>The idempotency key the task was submitted with.</summary>
        public string? ExternalTaskId { get; }
        public DateTimeOffset? CreatedAt { get; }
        public DateTimeOffset? UpdatedAt { get; }
        /// <summary>The generated videos; empty until the task succeeded.</summary>
        public IReadOnlyList<KlingVideo> Videos { get; }
        /// <summary>The service's request id of the answer this object came from, for support tickets.</summary>
        public string? RequestId { get; }
        /// <summary>What the task was made from (file path or URL of the first image), when this module submitted it; names saved files.</summary>
        public string? Source { get; }

        /// <summary>The first video's URL (a task makes one video); null until the task succeeded. Flat, so Export-Csv keeps it.</summary>
        public Uri? VideoUrl => Videos.Count > 0 ? Videos[0].Url : null;
        /// <summary>The first video's id; null until the task succeeded.</summary>
        public string? VideoId => Videos.Count > 0 ? Videos[0].Id : null;
        /// <summary>The first video's length in seconds; null until the task succeeded.</summary>
        public double? VideoDurationSec => Videos.Count > 0 ? Videos[0].Duration.TotalSeconds : (double?)null;
        /// <summary>Every image the task was made from, <see cref="Source"/> first: a multi-image task's videos are named after all of them.</summary>
        internal IReadOnlyList<string> Sources { get; private set; }

        /// <summary>True once the task succeeded or failed.</summary>
        public bool IsFinal => Status.IsFinal();

        /// <summary>The same task with the source remembered (the service does not echo it back).</summary>
        public KlingTask WithSource(string? source) => WithSources(source == null ? Array.Empty<string>() : new[] { source });

        /// <summary>The same task with the images it was made from remembered.</summary>
        internal KlingTask WithSources(IReadOnlyList<string> sources) =>
            new KlingTask(TaskId, Route, Status, StatusMessage, ExternalTaskId, CreatedAt, UpdatedAt, Videos, RequestId, sources.Count == 0 ? null : sources[0])
            { Sources = sources };

        public override string ToString() => $"{TaskId} ({Status})";
    }
}
