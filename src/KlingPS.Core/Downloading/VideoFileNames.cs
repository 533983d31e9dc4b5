using System;
using System.IO;
using System.Linq;
using KlingPS.Core.Models;

namespace KlingPS.Core.Downloading
{
    /// <summary>Chooses where a video is saved: after its source image (cat.png -> cat.mp4), else after the task id.</summary>
    internal static class VideoFileNames
    {
        /// <summary>What this file system refuses in a name, and what Windows refuses (a folder may move there).</summary>
        private static readonly char[] Invalid = Path.GetInvalidFileNameChars().Concat(new[] { '/', '\\', ':', '*', '?', '"', '<', '>', '|' }).ToArray();

        /// <summary>The full path for video number <paramref name="index"/> (0-based) of a task, always inside <paramref name="folder"/>.</summary>
        public static string PathFor(string folder, KlingTask task, int index)
        {
            var root = Path.GetFullPath(folder);
            var stem = StemOf(task);
            var name = Sanitize(index == 0 ? stem : stem + "-" + (index + 1)) + ".mp4";
            var full = Path.GetFullPath(Path.Combine(root, name));
            // Names come partly from the service; whatever they hold, the file stays in the folder.
            var rootWithSeparator = root.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? root : root + Path.DirectorySeparatorChar;
            if (!full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
                full = Path.Combine(root, Sanitize(task.TaskId) + (index == 0 ? "" : "-" + (index + 1)) + ".mp4");
            return full;
        }

        private static string StemOf(KlingTask task)
        {
            if (!string.IsNullOrEmpty(task.Source))
            {
                var source = task.Source!;
                if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && !uri.IsFile)
                    source = Uri.UnescapeDataString(uri.Segments.LastOrDefault() ?? string.Empty);
                // Plain string operations: on .NET Framework, Path methods throw on characters such as | " < > or control
                // characters, which a source (a URL's unescaped segment, a journal's record) may hold.
                var name = source.Replace('\\', '/').Split('/').Last();
                var dot = name.LastIndexOf('.');
                var stem = dot < 0 ? name : name.Substring(0, dot);
                if (!string.IsNullOrWhiteSpace(stem)) return stem;
            }
            return task.TaskId;
        }

        /// <summary>Removes what no file system accepts and anything that could climb out of the folder.</summary>
        public static string Sanitize(string name)
        {
            var clean = new string(name.Select(c => Invalid.Contains(c) || char.IsControl(c) ? '_' : c).ToArray()).Trim().TrimEnd('.');
            if (clean.Length == 0 || clean == "." || clean == "..") clean = "video";
            return clean.Length > 150 ? clean.Substring(0, 150) : clean;
        }
    }
}
