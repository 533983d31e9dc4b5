using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Batch;
using KlingPS.Core.Client;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;

namespace KlingPS.Core.Downloading
{
    /// <summary>
    /// Saves a video safely: streams it to a temporary file beside the target, checks the length against
    /// Content-Length, resumes a dropped transfer with Range where the server allows, and only then renames
    /// it into place. The key is sent only to the API's own host; result URLs normally live elsewhere.
    /// </summary>
    internal sealed class VideoDownloader
    {
        private readonly KlingClient _client;

        public VideoDownloader(KlingClient client) { _client = client ?? throw new ArgumentNullException(nameof(client)); }

        /// <summary>
        /// When set, each video is recorded in it as saved just before it is renamed into place: a run killed at any moment
        /// never leaves a saved video its journal does not know of (which a re-run would refuse to replace).
        /// </summary>
        public BatchJournal? Journal { get; set; }

        /// <summary>Downloads <paramref name="video"/> to <paramref name="path"/>. Refuses to replace a file unless <paramref name="force"/>.</summary>
        public async Task<FileInfo> DownloadAsync(KlingVideo video, string path, bool force, Action<long, long?>? progress = null,
            KlingCallOptions? call = null, CancellationToken ct = default)
        {
            call ??= KlingCallOptions.Default;
            var target = Path.GetFullPath(path);
            if (File.Exists(target) && !force)
                throw new KlingApiException(KlingErrorKind.FileExists, Messages.FileExists(target)) { Target = target };
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            RemoveStaleTemporaryFiles(target);
            var temp = Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".part");
            try
            {
                var transfer = new VideoTransfer(_client, video.Url, temp, "Download " + Path.GetFileName(target), _client.Retries(call), progress);
                var length = await transfer.RunAsync(ct).ConfigureAwait(false);
                if (File.Exists(target)) File.Delete(target); // only reached with force
                Journal?.RecordSaved(video.Id, target, length);
                File.Move(temp, target);
                call.Say($"Saved video {video.Id} of task {video.TaskId} to {target} ({length} bytes).");
                return new FileInfo(target);
            }
            finally
            {
                // A cancelled or failed download leaves nothing half-written behind.
                if (File.Exists(temp)) TryDelete(temp);
            }
        }

        /// <summary>A run killed mid-download leaves its temporary file ("." + name + ".&lt;8 hex&gt;.part"); the next download of that file removes it.</summary>
        private static void RemoveStaleTemporaryFiles(string target)
        {
            var prefix = "." + Path.GetFileName(target) + ".";
            foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(target)!, "*.part"))
            {
                var name = Path.GetFileName(file);
                if (name.Length == prefix.Length + 8 + ".part".Length && name.StartsWith(prefix, StringComparison.Ordinal)) TryDelete(file);
            }
        }

        private static void TryDelete(string path)
        {
            try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
