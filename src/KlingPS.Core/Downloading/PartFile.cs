using System;
using System.IO;
using KlingPS.Core.Errors;

namespace KlingPS.Core.Downloading
{
    /// <summary>
    /// The temporary file of one video's download, beside its target: "." + the target's name (shortened so that the whole
    /// name fits the file-name limit) + "." + 8 hex digits of the video and the target + ".part". The download holds it open
    /// for itself alone from its first byte to its rename, so another download of the same video to the same file (of this
    /// process or another) waits instead of writing beside it; one left by a killed process is taken over and emptied.
    /// Other temporary files of the same target are removed only when nobody holds them: a stale one, never one being written.
    /// </summary>
    internal sealed class PartFile : IDisposable
    {
        private const string Extension = ".part";
        private const int TagLength = 8;
        private bool _moved;

        private PartFile(string path, FileStream stream)
        {
            Path = path;
            Stream = stream;
        }

        public string Path { get; }

        /// <summary>The file, held for this download alone; emptied when taken.</summary>
        public FileStream Stream { get; }

        /// <summary>Takes the temporary file of <paramref name="videoId"/> for <paramref name="target"/>; null while another download holds it.</summary>
        /// <exception cref="KlingApiException">LocalFile: the folder or file cannot be written.</exception>
        public static PartFile? TryTake(string target, string videoId)
        {
            var folder = System.IO.Path.GetDirectoryName(target)!;
            var prefix = PrefixOf(target);
            var path = System.IO.Path.Combine(folder, prefix + Hashing.Sha256Hex(videoId + "|" + target).Substring(0, TagLength) + Extension);
            try
            {
                var stream = ExclusiveFile.TryOpen(path, FileMode.OpenOrCreate, FileAccess.ReadWrite);
                if (stream == null) return null;
                stream.SetLength(0);
                RemoveStale(folder, prefix, path);
                return new PartFile(path, stream);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw LocalFileError(path, e);
            }
        }

        /// <summary>Renames the file to <paramref name="target"/> while still holding it (replacing a file there when asked), so that nobody takes it in between.</summary>
        public void MoveTo(string target, bool replace)
        {
            try
            {
                // Not flushed to the disk itself: that would cost a video's whole size in synchronous writes, and a kill
                // loses nothing the system has. After a power failure the journal's record of the video is checked against
                // the file's length before a re-run trusts it.
                Stream.Flush();
                if (replace && File.Exists(target)) File.Delete(target);
                File.Move(Path, target);
                _moved = true;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw LocalFileError(target, e);
            }
        }

        /// <summary>Lets go of the file; one not renamed into place is removed, so nothing half-written stays behind.</summary>
        public void Dispose()
        {
            // Removed while still held: nobody can have taken it over in between.
            if (!_moved) TryDelete(Path);
            Stream.Dispose();
        }

        internal static KlingApiException LocalFileError(string path, Exception e) =>
            new KlingApiException(KlingErrorKind.LocalFile, Messages.LocalFileFailed(path, e.Message), e) { Target = path };

        private static string PrefixOf(string target)
        {
            var room = FileNameLimit.Maximum - FileNameLimit.SizeOf("." + "." + Extension) - TagLength;
            return "." + FileNameLimit.Shorten(System.IO.Path.GetFileName(target), room) + ".";
        }

        /// <summary>Removes the temporary files of the same target that nobody holds (left by killed downloads, of any version).</summary>
        private static void RemoveStale(string folder, string prefix, string own)
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*" + Extension))
            {
                var name = System.IO.Path.GetFileName(file);
                if (file == own || name.Length != prefix.Length + TagLength + Extension.Length || !name.StartsWith(prefix, StringComparison.Ordinal)) continue;
                try
                {
                    ExclusiveFile.TryOpen(file, FileMode.Open, FileAccess.ReadWrite, FileOptions.DeleteOnClose)?.Dispose();
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    // Gone already, or not ours to remove.
                }
            }
        }

        private static void TryDelete(string path)
        {
            try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
