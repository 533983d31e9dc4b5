using System.IO;
using System.Runtime.InteropServices;

namespace KlingPS.Core
{
    /// <summary>
    /// Files held by one handle at a time, across processes: the journal during each operation, a run's liveness file, a
    /// temporary video file for its whole download. The operating system releases the hold when the process dies, so a
    /// file that can be had is one nobody is using, whatever is left in it.
    /// </summary>
    internal static class ExclusiveFile
    {
        /// <summary>
        /// Windows lets a file open with delete sharing be renamed or deleted through its path, and refuses any other
        /// opener all the same; on Unix .NET takes an exclusive flock only for FileShare.None, and rename works anyway.
        /// </summary>
        private static readonly FileShare Sharing = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? FileShare.Delete : FileShare.None;

        /// <summary>Opens a file for this handle alone; null when another handle, of this process or another, has it open.</summary>
        public static FileStream? TryOpen(string path, FileMode mode, FileAccess access, FileOptions options = FileOptions.None)
        {
            try
            {
                return new FileStream(path, mode, access, Sharing, 4096, options);
            }
            catch (IOException e) when (IsSharingViolation(e))
            {
                return null;
            }
        }

        /// <summary>
        /// The file is open elsewhere: Windows' ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION, or the EWOULDBLOCK of an
        /// flock .NET takes on Unix (11 on Linux, 35 on macOS), which it reports as a plain IOException with the errno.
        /// </summary>
        private static bool IsSharingViolation(IOException e) =>
            e.GetType() == typeof(IOException) && (e.HResult == unchecked((int)0x80070020) || e.HResult == unchecked((int)0x80070021) || e.HResult == 11 || e.HResult == 35);
    }
}
