using System;
using System.IO;
using KlingPS.Core.Errors;

namespace KlingPS.Core.Batch
{
    /// <summary>
    /// Tells other processes that a run of a journal is alive: a small file beside the journal (".klingps-&lt;run id&gt;.run")
    /// that the run holds open for itself alone from its first claim to its end. The system lets go of it when the process
    /// dies, so a claim whose run's file can be had (or is gone) belongs to a run that was killed or has ended.
    /// </summary>
    internal sealed class RunLease : IDisposable
    {
        private const string Prefix = ".klingps-";
        private const string Suffix = ".run";
        private readonly FileStream _held;
        private readonly string _path;

        private RunLease(string path, FileStream held)
        {
            _path = path;
            _held = held;
        }

        /// <summary>Takes the lease of run <paramref name="runId"/> in <paramref name="folder"/>, first clearing those of runs that died.</summary>
        public static RunLease Take(string folder, string runId)
        {
            var path = PathOf(folder, runId);
            try
            {
                foreach (var other in Directory.EnumerateFiles(folder, Prefix + "*" + Suffix)) IsAlive(other);
                var held = ExclusiveFile.TryOpen(path, FileMode.CreateNew, FileAccess.Write)
                    ?? throw new IOException(path + " is in use.");
                return new RunLease(path, held);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new KlingApiException(KlingErrorKind.LocalFile, Messages.LocalFileFailed(path, e.Message), e) { Target = path };
            }
        }

        /// <summary>True while run <paramref name="runId"/> holds its lease; a dead run's lease file is removed on the way.</summary>
        public static bool IsAlive(string folder, string runId) => IsAlive(PathOf(folder, runId));

        private static bool IsAlive(string path)
        {
            try
            {
                using var dead = ExclusiveFile.TryOpen(path, FileMode.Open, FileAccess.ReadWrite, FileOptions.DeleteOnClose);
                return dead == null;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return false; // gone (the run ended), or not ours to open: no live run of this journal holds it either way
            }
        }

        private static string PathOf(string folder, string runId) => Path.Combine(folder, Prefix + runId + Suffix);

        /// <summary>Ends the run: its claims left open are from now on those of a run that ended.</summary>
        public void Dispose()
        {
            _held.Dispose();
            try { File.Delete(_path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
