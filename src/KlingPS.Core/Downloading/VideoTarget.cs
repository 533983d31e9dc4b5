using KlingPS.Core.Models;

namespace KlingPS.Core.Downloading
{
    /// <summary>One video of a task and the file it is to be saved as.</summary>
    internal sealed class VideoTarget
    {
        public VideoTarget(KlingTask task, KlingVideo video, string path)
        {
            Task = task;
            Video = video;
            Path = path;
        }

        public KlingTask Task { get; }
        public KlingVideo Video { get; }
        /// <summary>The full path of the file.</summary>
        public string Path { get; }
    }
}
