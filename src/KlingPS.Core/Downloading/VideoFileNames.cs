using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using KlingPS.Core.Models;

namespace KlingPS.Core.Downloading
{
    /// <summary>
    /// Names a task's videos: after its images (cat.png gives cat.mp4; a multi-image task cat+dog.mp4), else after the images
    /// the journal recorded for it, else after the user's external id, else after the task id; a second video of a task
    /// gets -2. The other name of a video (its name plus the task id: cat-&lt;task id&gt;.mp4) is where it goes when another
    /// task's video has the first. Names fit the file-name limit, avoid what Windows refuses (reserved device names included),
    /// and never leave the folder.
    /// </summary>
    internal static class VideoFileNames
    {
        /// <summary>What this file system refuses in a name, and what Windows refuses (a folder may move there).</summary>
        private static readonly char[] Invalid = Path.GetInvalidFileNameChars().Concat(new[] { '/', '\\', ':', '*', '?', '"', '<', '>', '|' }).ToArray();

        /// <summary>Names Windows keeps for devices, whatever follows their first dot: con.mp4 is the console.</summary>
        private static readonly Regex Reserved = new Regex("^(con|prn|aux|nul|com[1-9]|lpt[1-9]) *$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>The external ids KlingPS makes (klingps- and 32 hex digits): they name nothing.</summary>
        private static readonly Regex Generated = new Regex("^klingps-[0-9a-f]{32}$", RegexOptions.CultureInvariant);

        /// <summary>How paths compare on this system: Windows' file names ignore case.</summary>
        public static readonly StringComparer PathComparer =
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

        /// <summary>
        /// The full path for video number <paramref name="index"/> (0-based) of a task, always inside <paramref name="folder"/>;
        /// <paramref name="recordedSources"/> are the images a journal recorded for the task, for a task that came without them.
        /// </summary>
        public static string PathFor(string folder, KlingTask task, int index, IReadOnlyList<string>? recordedSources = null) =>
            PathFor(folder, task, index, recordedSources, withTaskId: false);

        /// <summary>The video's other name: its name with the task id added, for when another task's video has the first.</summary>
        public static string AlternativePathFor(string folder, KlingTask task, int index, IReadOnlyList<string>? recordedSources = null) =>
            PathFor(folder, task, index, recordedSources, withTaskId: true);

        private static string PathFor(string folder, KlingTask task, int index, IReadOnlyList<string>? recordedSources, bool withTaskId)
        {
            var root = Path.GetFullPath(folder);
            var suffix = (withTaskId ? "-" + Sanitize(task.TaskId) : "") + (index == 0 ? "" : "-" + (index + 1)) + ".mp4";
            var full = Path.GetFullPath(Path.Combine(root, NameOf(StemOf(task, recordedSources), suffix)));
            // Names come partly from the service; whatever they hold, the file stays in the folder.
            var rootWithSeparator = root.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? root : root + Path.DirectorySeparatorChar;
            return full.StartsWith(rootWithSeparator, StringComparison.Ordinal) ? full : Path.Combine(root, NameOf(task.TaskId, suffix));
        }

        private static string StemOf(KlingTask task, IReadOnlyList<string>? recordedSources)
        {
            var sources = task.Sources.Count > 0 ? task.Sources : recordedSources ?? Array.Empty<string>();
            var stems = sources.Select(StemOfSource).Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
            if (stems.Count > 0) return string.Join("+", stems);
            var externalId = task.ExternalTaskId;
            return !string.IsNullOrWhiteSpace(externalId) && !Generated.IsMatch(externalId!) ? externalId! : task.TaskId;
        }

        private static string StemOfSource(string source)
        {
            if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && !uri.IsFile)
                source = Uri.UnescapeDataString(uri.Segments.LastOrDefault() ?? string.Empty);
            // Plain string operations: on .NET Framework, Path methods throw on characters such as | " < > or control
            // characters, which a source (a URL's unescaped segment, a journal's record) may hold.
            var name = source.Replace('\\', '/').Split('/').Last();
            var dot = name.LastIndexOf('.');
            return dot < 0 ? name : name.Substring(0, dot);
        }

        /// <summary>A stem made safe and short enough that it and <paramref name="suffix"/> fit the file-name limit.</summary>
        private static string NameOf(string stem, string suffix)
        {
            var clean = Sanitize(stem);
            var shortened = FileNameLimit.Shorten(clean, FileNameLimit.Maximum - FileNameLimit.SizeOf(suffix)).TrimEnd('.', ' ');
            return (shortened.Length == 0 ? "video" : shortened) + suffix;
        }

        /// <summary>Removes what no file system accepts and anything that could climb out of the folder; a device name gets a '_'.</summary>
        public static string Sanitize(string name)
        {
            var clean = new string(name.Select(c => Invalid.Contains(c) || char.IsControl(c) ? '_' : c).ToArray()).Trim().TrimEnd('.');
            if (clean.Length == 0 || clean == "." || clean == "..") return "video";
            var dot = clean.IndexOf('.');
            var device = dot < 0 ? clean : clean.Substring(0, dot);
            return Reserved.IsMatch(device) ? device.TrimEnd(' ') + "_" + clean.Substring(device.Length) : clean;
        }
    }
}
