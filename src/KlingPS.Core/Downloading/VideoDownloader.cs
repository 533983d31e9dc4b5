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
    /// Saves a video safely: streams it to a temporary file beside the target that it holds for itself alone
    /// (<see cref="PartFile"/>), checks the length against Content-Length and the size limit, resumes a dropped transfer with
    /// Range where the server allows, and only then renames it into place. The key is sent only to the API's own host;
    /// result URLs normally live elsewhere.
    /// </summary>
    internal sealed class VideoDownloader
    {
        /// <summary>
        /// The default size limit: 512 MiB. Kling's videos are 5 or 10 s long and a few to some tens of megabytes (a 10 s 1080p
        /// video at 100 Mbit/s, far above what the service encodes, is 125 MB); 512 MiB leaves room for any of them and for
        /// longer ones, while stopping an endless or inflated body long before a disk (or the Azure sandbox's 1 GB) fills up.
        /// </summary>
        public const long DefaultMaximumBytes = 512L * 1024 * 1024;

        /// <summary>How often a download waits for another that holds the same temporary file.</summary>
        private static readonly TimeSpan PartPollInterval = TimeSpan.FromMilliseconds(250);

        private readonly KlingClient _client;

        public VideoDownloader(KlingClient client) { _client = client ?? throw new ArgumentNullException(nameof(client)); }

        /// <summary>A video larger than this is not saved (VideoTooLarge).</summary>
        public long MaximumBytes { get; set; } = DefaultMaximumBytes;

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
            ThrowIfInTheWay(target, force);
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw PartFile.LocalFileError(target, e);
            }
            using var part = await TakePartAsync(target, video, call, ct).ConfigureAwait(false);
            ThrowIfInTheWay(target, force); // the download that held the temporary file may have saved it
            var transfer = new VideoTransfer(_client, video.Url, part.Stream, "Download " + Path.GetFileName(target), _client.Retries(call), MaximumBytes, progress);
            var length = await transfer.RunAsync(ct).ConfigureAwait(false);
            Journal?.RecordSaved(video.Id, target, length);
            part.MoveTo(target, replace: force);
            call.Say($"Saved video {video.Id} of task {video.TaskId} to {target} ({length} bytes).");
            return new FileInfo(target);
        }

        /// <summary>The temporary file of this video and target, once no other download (of this process or another) holds it.</summary>
        private static async Task<PartFile> TakePartAsync(string target, KlingVideo video, KlingCallOptions call, CancellationToken ct)
        {
            var waited = false;
            while (true)
            {
                var part = PartFile.TryTake(target, video.Id);
                if (part != null) return part;
                if (!waited) call.Say($"{target}: another download of video {video.Id} is writing it; waiting for it.");
                waited = true;
                await Task.Delay(PartPollInterval, ct).ConfigureAwait(false);
            }
        }

        private static void ThrowIfInTheWay(string target, bool force)
        {
            if (File.Exists(target) && !force)
                throw new KlingApiException(KlingErrorKind.FileExists, Messages.FileExists(target)) { Target = target };
        }
    }
}
