using System;
using System.IO;
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
    /// (Range) where the server allows it, else starts over, and checks the length against what the server announced. A
    /// server that stops sending without closing the connection is given up on after the request timeout, then retried.
    /// </summary>
    internal sealed class VideoTransfer : RetriedRequest<long>
    {
        private const int BufferSize = 128 * 1024;
        private readonly KlingClient _client;
        private readonly Uri _url;
        private readonly string _temp;
        private readonly Action<long, long?>? _progress;
        private long? _total;

        public VideoTransfer(KlingClient client, Uri url, string temp, string target, RetrySettings settings, Action<long, long?>? progress)
            : base(target, settings)
        {
            _client = client;
            _url = url;
            _temp = temp;
            _progress = progress;
        }

        /// <summary>One try; returns the length of the whole file.</summary>
        protected override async Task<long> AttemptAsync(CancellationToken ct)
        {
            var have = File.Exists(_temp) ? new FileInfo(_temp).Length : 0;
            using var response = await _client.OpenVideoAsync(_url, have, ct).ConfigureAwait(false);
            var target = Messages.DownloadTarget(_url);
            var resumed = have > 0 && response.StatusCode == HttpStatusCode.PartialContent;
            if (have > 0 && !resumed)
            {
                Settings.Call.Say($"{target}: the server does not resume transfers; starting over.");
                have = 0;
            }
            _total = resumed ? response.Content.Headers.ContentRange?.Length ?? _total : response.Content.Headers.ContentLength;
            var timeout = _client.Options.RequestTimeout;
            // .NET Framework ignores the token of a pending read: closing the response is what ends it there (and Ctrl+C,
            // which cancels ct, cancels idle).
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var closeOnCancel = idle.Token.Register(response.Dispose);
            try
            {
                using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                using var file = new FileStream(_temp, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
                var buffer = new byte[BufferSize];
                var written = have;
                int read;
                while (true)
                {
                    idle.CancelAfter(timeout);
                    if ((read = await body.ReadAsync(buffer, 0, buffer.Length, idle.Token).ConfigureAwait(false)) <= 0) break;
                    await file.WriteAsync(buffer, 0, read, ct).ConfigureAwait(false);
                    written += read;
                    _progress?.Invoke(written, _total);
                }
            }
            // A closed response fails the read with whatever the runtime throws (IOException, ObjectDisposedException,
            // WebException): the tokens say why it was closed.
            catch (Exception e) when (ct.IsCancellationRequested && !(e is OperationCanceledException))
            {
                throw new OperationCanceledException(e.Message, e, ct);
            }
            catch (Exception e) when (idle.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw new KlingApiException(KlingErrorKind.Timeout, Messages.Timeout(target, timeout), e) { IsRetryable = true, Target = target };
            }
            catch (Exception e) when (e is IOException || e is HttpRequestException)
            {
                throw new KlingApiException(KlingErrorKind.Network, Messages.NetworkError(target, e.Message), e) { IsRetryable = true, Target = target };
            }

            var got = new FileInfo(_temp).Length;
            if (_total.HasValue && got != _total.Value)
                throw new KlingApiException(KlingErrorKind.Network, Messages.DownloadIncomplete(target, got, _total.Value)) { IsRetryable = true, Target = target };
            return got;
        }
    }
}
