using System;

namespace KlingPS.Core.Models
{
    /// <summary>One generated video of a finished task. Its URL is short-lived: save it soon.</summary>
    public sealed class KlingVideo
    {
        public KlingVideo(string id, Uri url, TimeSpan duration, string taskId)
        {
            Id = id;
            Url = url;
            Duration = duration;
            TaskId = taskId;
        }

        /// <summary>The service's video id (used by video extension).</summary>
        public string Id { get; }
        /// <summary>Where to download it.</summary>
        public Uri Url { get; }
        /// <summary>Length of the video.</summary>
        public TimeSpan Duration { get; }
        /// <summary>The task that produced it.</summary>
        public string TaskId { get; }

        public override string ToString() => Url.ToString();
    }
}
