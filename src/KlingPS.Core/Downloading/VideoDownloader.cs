using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Batch;
using KlingPS.Core.Client;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;
using KlingPS.Core.Wire;

namespace KlingPS.Core.Downloading
{
    /// <summary>
    /// Saves a video safely: streams it to a temporary file beside the target, checks the length against
    /// Content-Length, resumes a dropped transfer with Range where the server allows, and only then renames
    /// it into place. The key is sent only to the API's own host; result URLs normally live elsewhere.
    /// </summary>
    internal sealed class VideoDownloader
    {
        private const int BufferSize = 128 * 1024;
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
                throw new KlingApiException(KlingErrorKind.Validation, Messages.FileExists(target)) { Target = target };
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            RemoveStaleTemporaryFiles(target);
            var temp = Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".part");
            var maxRetries = call.MaximumRetryCount ?? _client.Options.MaximumRetryCount;
            var interval = call.RetryInterval ?? _client.Options.RetryInterval;
            try
            {
                long? total = null;
                for (var failures = 0; ; failures++)
                {
                    try
                    {
                        total = await TransferAsync(video.Url, temp, total, progress, call, ct).ConfigureAwait(false);
                        break;
                    }
                    catch (KlingApiException e) when (e.IsRetryable && failures < maxRetries)
                    {
                        var delay = Backoff.Delay(failures, interval, _client.Options.MaximumRetryDelay, e.RetryAfter);
                        call.Say(Messages.Retrying("Download " + Path.GetFileName(target), e.Message, failures + 1, maxRetries, delay));
                        await Task.Delay(delay, ct).ConfigureAwait(false);
                    }
                }
                if (File.Exists(target)) File.Delete(target); // only reached with force
                Journal?.RecordSaved(video.Id, target, new FileInfo(temp).Length);
                File.Move(temp, target);
                call.Say($"Saved video {video.Id} of task {video.TaskId} to {target} ({new FileInfo(target).Length} bytes).");
                return new FileInfo(target);
            }
            finally
            {
                // A cancelled or failed download leaves nothing half-written behind.
                if (File.Exists(temp)) TryDelete(temp);
            }
        }

        /// <summary>One attempt: appends to the partial file from where it stops (Range), or starts over. Returns the full length.</summary>
        private async Task<long?> TransferAsync(Uri url, string temp, long? knownTotal, Action<long, long?>? progress, KlingCallOptions call, CancellationToken ct)
        {
            var have = File.Exists(temp) ? new FileInfo(temp).Length : 0;
            using var response = await SendFollowingRedirectsAsync(url, have, ct).ConfigureAwait(false);
            var target = "Download " + url.GetLeftPart(UriPartial.Path);
            var status = (int)response.StatusCode;
            var mediaType = response.Content.Headers.ContentType?.MediaType ?? string.Empty;
            var isJson = mediaType.IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0;
            // An error in the API's own JSON (a Kling code or a gateway error) is read like an API answer: account codes
            // (1100-1102) are not retried, and the service's words reach the user. ReadAsync throws for every status >= 400.
            if (status >= 400 && isJson)
                await ResponseReader.ReadAsync(response, KlingJson.Context.EnvelopeTaskData, target, _client.BaseUri, false, ct).ConfigureAwait(false);
            if (status == 429 || status >= 500)
                throw new KlingApiException(status == 429 ? KlingErrorKind.RateLimited : KlingErrorKind.ServiceUnavailable, Messages.DownloadFailed(target, status))
                { StatusCode = response.StatusCode, IsRetryable = true, RetryAfter = ResponseReader.RetryAfterOf(response), Target = target };
            if (!response.IsSuccessStatusCode)
                throw new KlingApiException(status == 404 || status == 410 ? KlingErrorKind.NotFound : KlingErrorKind.InvalidResponse, Messages.DownloadFailed(target, status))
                { StatusCode = response.StatusCode, Target = target };

            // A page or a JSON body with 200 (a proxy's error page, a gateway hiccup) is not the video: never save it as one.
            if (isJson || mediaType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0)
                throw new KlingApiException(KlingErrorKind.InvalidResponse, Messages.NotAVideo(target, status, mediaType))
                { StatusCode = response.StatusCode, IsRetryable = true, Target = target };

            var resumed = have > 0 && response.StatusCode == HttpStatusCode.PartialContent;
            if (have > 0 && !resumed)
            {
                call.Say($"{target}: the server does not resume transfers; starting over.");
                have = 0;
            }
            var length = response.Content.Headers.ContentLength;
            long? total = resumed ? response.Content.Headers.ContentRange?.Length ?? knownTotal : length;
            // A server that stops sending without closing the connection must not hold the download for ever: each read
            // may wait RequestTimeout, then the transfer is retried from where it stopped.
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
            try
            {
                using (var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                using (var file = new FileStream(temp, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
                {
                    var buffer = new byte[BufferSize];
                    var written = have;
                    int read;
                    while (true)
                    {
                        idle.CancelAfter(_client.Options.RequestTimeout);
                        if ((read = await body.ReadAsync(buffer, 0, buffer.Length, idle.Token).ConfigureAwait(false)) <= 0) break;
                        await file.WriteAsync(buffer, 0, read, ct).ConfigureAwait(false);
                        written += read;
                        progress?.Invoke(written, total);
                    }
                }
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw new KlingApiException(KlingErrorKind.Timeout, Messages.Timeout(target, _client.Options.RequestTimeout), e) { IsRetryable = true, Target = target };
            }
            catch (Exception e) when ((e is IOException || e is HttpRequestException) && !ct.IsCancellationRequested)
            {
                throw new KlingApiException(KlingErrorKind.Network, Messages.NetworkError(target, e.Message), e) { IsRetryable = true, Target = target };
            }

            var got = new FileInfo(temp).Length;
            if (total.HasValue && got != total.Value)
                throw new KlingApiException(KlingErrorKind.Network, Messages.DownloadIncomplete(target, got, total.Value)) { IsRetryable = true, Target = target };
            return total;
        }

        private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(Uri url, long from, CancellationToken ct)
        {
            for (var hops = 0; ; hops++)
            {
                var request = new HttpRequestMessage(HttpMethod.Get, url);
                if (from > 0) request.Headers.Range = new RangeHeaderValue(from, null);
                // Result URLs are on a CDN: the key goes only to the API's own host.
                if (_client.IsApiAuthority(url)) request.Headers.TryAddWithoutValidation("Authorization", _client.AuthorizationHeader);
                HttpResponseMessage response;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(_client.Options.RequestTimeout);
                try
                {
                    response = await _client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
                {
                    var target = "Download " + url.GetLeftPart(UriPartial.Path);
                    throw new KlingApiException(KlingErrorKind.Timeout, Messages.Timeout(target, _client.Options.RequestTimeout), e) { IsRetryable = true, Target = target };
                }
                catch (HttpRequestException e)
                {
                    throw new KlingApiException(KlingErrorKind.Network, Messages.NetworkError("Download " + url.GetLeftPart(UriPartial.Path), e.Message), e)
                    { IsRetryable = true };
                }
                finally
                {
                    request.Dispose();
                }
                var status = (int)response.StatusCode;
                if (status < 300 || status >= 400 || response.Headers.Location == null || hops >= 5) return response;
                url = new Uri(url, response.Headers.Location);
                response.Dispose();
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
