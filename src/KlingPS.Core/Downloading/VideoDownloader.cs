using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
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

        /// <summary>Downloads <paramref name="video"/> to <paramref name="path"/>. Refuses to replace a file unless <paramref name="force"/>.</summary>
        public async Task<FileInfo> DownloadAsync(KlingVideo video, string path, bool force, Action<long, long?>? progress = null,
            KlingCallOptions? call = null, CancellationToken ct = default)
        {
            call ??= KlingCallOptions.Default;
            var target = Path.GetFullPath(path);
            ThrowIfInTheWay(target, force);
            CreateFolderOf(target);
            using var part = (await TakePartAsync(target, video, call, () => false, ct).ConfigureAwait(false))!;
            ThrowIfInTheWay(target, force); // the download that held the temporary file may have saved it
            var length = await TransferAsync(video, part, target, progress, call, ct).ConfigureAwait(false);
            part.MoveTo(target, replace: force);
            call.Say(Messages.Saved(video, target, length));
            return new FileInfo(target);
        }

        /// <summary>Streams <paramref name="video"/> into <paramref name="part"/>, whole; returns its length.</summary>
        internal Task<long> TransferAsync(KlingVideo video, PartFile part, string target, Action<long, long?>? progress, KlingCallOptions call, CancellationToken ct) =>
            new VideoTransfer(_client, video.Url, part.Stream, "Download " + Path.GetFileName(target), _client.Retries(call), MaximumBytes, progress).RunAsync(ct);

        /// <summary>
        /// The temporary file of this video and target, once no other download (of this process or another) holds it; null
        /// when <paramref name="savedElsewhere"/> says, while waiting, that the download holding it has saved the video.
        /// </summary>
        internal static async Task<PartFile?> TakePartAsync(string target, KlingVideo video, KlingCallOptions call, Func<bool> savedElsewhere, CancellationToken ct)
        {
            var waited = false;
            while (true)
            {
                var part = PartFile.TryTake(target, video.Id);
                if (part != null) return part;
                if (savedElsewhere()) return null;
                if (!waited) call.Say($"{target}: another download of video {video.Id} is writing it; waiting for it.");
                waited = true;
                await Task.Delay(PartPollInterval, ct).ConfigureAwait(false);
            }
        }

        internal static void CreateFolderOf(string target)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw PartFile.LocalFileError(target, e);
            }
        }

        /// <summary>A file at the target is an error unless it may be replaced.</summary>
        internal static void ThrowIfInTheWay(string target, bool replace)
        {
            if (File.Exists(target) && !replace)
                throw new KlingApiException(KlingErrorKind.FileExists, Messages.FileExists(target)) { Target = target };
        }
    }
}
