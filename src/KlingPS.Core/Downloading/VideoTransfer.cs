using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Client;
using KlingPS.Core.Errors;

namespace KlingPS.Core.Downloading
{
    /// <summary>
    /// One video streamed into its temporary file, in the client's retry loop: each try appends from where the file stops
    /// (Range) where the server answers with exactly that range, else starts over, and checks the length against what the
    /// server announced. A body is saved as sent, never decompressed: an encoded one is refused, as is one larger than the
    /// size limit. A server that stops sending without closing the connection is given up on after the request timeout,
    /// then retried. A failure of the local file is never taken for the network's, and is not retried.
    /// </summary>
    internal sealed class VideoTransfer : RetriedRequest<long>
    {
        private const int BufferSize = 512 * 1024;
        private readonly KlingClient _client;
        private readonly Uri _url;
        private readonly FileStream _file;
        private readonly long _maximumBytes;
        private readonly Action<long, long?>? _progress;
        private long? _total;

        public VideoTransfer(KlingClient client, Uri url, FileStream file, string target, RetrySettings settings, long maximumBytes, Action<long, long?>? progress)
            : base(target, settings)
        {
            _client = client;
            _url = url;
            _file = file;
            _maximumBytes = maximumBytes;
            _progress = progress;
        }

        /// <summary>One try; returns the length of the whole file.</summary>
        protected override async Task<long> AttemptAsync(CancellationToken ct)
        {
            var target = Messages.DownloadTarget(_url);
            var have = Local(() => _file.Length);
            var response = await _client.OpenVideoAsync(_url, have, ct).ConfigureAwait(false);
            try
            {
                if (have > 0 && response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From != have)
                {
                    // A 206 for another range than the one asked for would splice a wrong piece into the video.
                    Settings.Call.Say(Messages.WrongRange(target, have, response.Content.Headers.ContentRange?.From));
                    response.Dispose();
                    have = 0;
                    response = await _client.OpenVideoAsync(_url, 0, ct).ConfigureAwait(false);
                }
                else if (have > 0 && response.StatusCode != HttpStatusCode.PartialContent)
                {
                    Settings.Call.Say($"{target}: the server does not resume transfers; starting over.");
                    have = 0;
                }
                return await ReceiveAsync(response, have, target, ct).ConfigureAwait(false);
            }
            finally
            {
                response.Dispose();
            }
        }

        private async Task<long> ReceiveAsync(HttpResponseMessage response, long have, string target, CancellationToken ct)
        {
            var headers = response.Content.Headers;
            var encoding = headers.ContentEncoding.FirstOrDefault(e => !string.Equals(e, "identity", StringComparison.OrdinalIgnoreCase));
            if (encoding != null)
                throw new KlingApiException(KlingErrorKind.InvalidResponse, Messages.EncodedVideo(target, encoding)) { StatusCode = response.StatusCode, Target = target };
            _total = have > 0 ? headers.ContentRange?.Length ?? _total : headers.ContentLength;
            if (_total > _maximumBytes) throw TooLarge(target, _total);
            Local(() =>
            {
                _file.SetLength(have);
                _file.Position = have;
            });
            var timeout = _client.Options.RequestTimeout;
            // .NET Framework ignores the token of a pending read: closing the response is what ends it there (and Ctrl+C,
            // which cancels ct, cancels idle).
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var closeOnCancel = idle.Token.Register(response.Dispose);
            long written;
            try
            {
                using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                written = await CopyAsync(body, have, idle, timeout, target, ct).ConfigureAwait(false);
            }
            // A closed response fails the read with whatever the runtime throws (IOException, ObjectDisposedException,
            // WebException): the tokens say why it was closed.
            catch (Exception e) when (ct.IsCancellationRequested && !(e is OperationCanceledException))
            {
                throw new OperationCanceledException(e.Message, e, ct);
            }
            catch (Exception e) when (!(e is KlingApiException) && idle.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw new KlingApiException(KlingErrorKind.Timeout, Messages.Timeout(target, timeout), e) { IsRetryable = true, Target = target };
            }
            catch (Exception e) when (e is IOException || e is HttpRequestException)
            {
                throw new KlingApiException(KlingErrorKind.Network, Messages.NetworkError(target, e.Message), e) { IsRetryable = true, Target = target };
            }

            if (_total.HasValue && written != _total.Value)
                throw new KlingApiException(KlingErrorKind.Network, Messages.DownloadIncomplete(target, written, _total.Value)) { IsRetryable = true, Target = target };
            return written;
        }

        /// <summary>
        /// Copies the body into the file after <paramref name="have"/> bytes; returns the file's length. What has arrived is
        /// gathered, up to a buffer, and written while the next piece is read: a write per read, one after the other, held
        /// downloads to 0.8x the speed of curl, as each write is a hop to another thread. Whatever has arrived is written
        /// before a read waits or fails, so that a stall or a dropped connection keeps it for the resume.
        /// </summary>
        private async Task<long> CopyAsync(Stream body, long have, CancellationTokenSource idle, TimeSpan timeout, string target, CancellationToken ct)
        {
            var buffers = new[] { new byte[BufferSize], new byte[BufferSize] };
            var writing = Task.CompletedTask;
            long received = have, handed = have, reported = have;
            int current = 0, start = 0, filled = 0; // buffers[current][start..filled) arrived and is not yet handed to a write

            async Task WriteGatheredAsync()
            {
                await writing.ConfigureAwait(false);
                if (handed > reported) _progress?.Invoke(reported = handed, _total);
                writing = WriteAsync(buffers[current], start, filled - start, ct);
                handed += filled - start;
                start = filled;
            }

            try
            {
                while (true)
                {
                    idle.CancelAfter(timeout);
                    var reading = body.ReadAsync(buffers[current], filled, BufferSize - filled, idle.Token);
                    if (reading.Status != TaskStatus.RanToCompletion && filled > start) await WriteGatheredAsync().ConfigureAwait(false);
                    var read = await reading.ConfigureAwait(false);
                    if (read <= 0) break;
                    if ((received += read) > _maximumBytes) throw TooLarge(target, null);
                    filled += read;
                    if (filled < BufferSize) continue;
                    await WriteGatheredAsync().ConfigureAwait(false);
                    // The other buffer's last write finished before the one just started began.
                    current ^= 1;
                    start = filled = 0;
                }
                if (filled > start) await WriteGatheredAsync().ConfigureAwait(false);
                await writing.ConfigureAwait(false);
                if (handed > reported) _progress?.Invoke(handed, _total);
                return received;
            }
            finally
            {
                // A failed read must not leave a write running into the next try, which starts by cutting the file.
                await writing.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }
        }

        private async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct)
        {
            try
            {
                await _file.WriteAsync(buffer, offset, count, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw PartFile.LocalFileError(_file.Name, e);
            }
        }

        private T Local<T>(Func<T> action)
        {
            try
            {
                return action();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw PartFile.LocalFileError(_file.Name, e);
            }
        }

        private void Local(Action action) => Local(() => { action(); return true; });

        private KlingApiException TooLarge(string target, long? announced) =>
            new KlingApiException(KlingErrorKind.VideoTooLarge, Messages.VideoTooLarge(target, _maximumBytes, announced)) { Target = target };
    }
}
