using System.Collections.Generic;
using KlingPS.Core.Models;

namespace KlingPS.Core.Downloading
{
    /// <summary>One video of a task and the file it is to be saved as.</summary>
    internal sealed class VideoTarget
    {
        public VideoTarget(KlingTask task, int index, string path, IReadOnlyList<string>? recordedSources)
        {
            Task = task;
            Index = index;
            Path = path;
            RecordedSources = recordedSources;
        }

        public KlingTask Task { get; }
        /// <summary>Which of the task's videos (0-based).</summary>
        public int Index { get; }
        public KlingVideo Video => Task.Videos[Index];
        /// <summary>The full path of the file.</summary>
        public string Path { get; }
        /// <summary>The images a journal recorded for a task that came without them; they named the file.</summary>
        public IReadOnlyList<string>? RecordedSources { get; }
    }
}
