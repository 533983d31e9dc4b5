using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Errors;

namespace KlingPS.Core.Client
{
    /// <summary>
    /// The body of an API answer, read as it streams in and never past <see cref="MaximumBytes"/> of decompressed bytes: a
    /// gateway or proxy that answers without end, or with a small gzip body that inflates to gigabytes, costs a bounded
    /// amount of memory and time, and ends in a clear error instead of exhausting the session.
    /// </summary>
    internal static class AnswerBody
    {
        /// <summary>
        /// 16 MiB. The largest answer the API gives, a list page of 500 tasks, is well under 1 MiB (about 1 KB a task, its
        /// signed video URLs included), so no real answer comes near it; and with a wait's 8 queries in flight at once, the
        /// worst case stays near 128 MiB, within the memory of an Azure Automation sandbox.
        /// </summary>
        public const int MaximumBytes = 16 << 20;

        private const int ChunkBytes = 81920;

        /// <summary>
        /// The whole body, or <see cref="KlingApiException"/> as soon as it is known to be over the cap (at once from its
        /// Content-Length, else when the bytes read pass it), or OperationCanceledException as soon as <paramref name="ct"/>
        /// is cancelled, even while the server sends nothing: .NET honours the token of a pending read, .NET Framework ignores
        /// it, and there only closing the response ends the read.
        /// </summary>
        public static async Task<MemoryStream> ReadAsync(HttpResponseMessage response, string target, bool isCreate, CancellationToken ct)
        {
            var copy = new MemoryStream();
            if (response.Content == null) return copy;
            if (response.Content.Headers.ContentLength > MaximumBytes) throw TooLarge(response, target, isCreate);
            using (ct.Register(response.Dispose))
            {
                try
                {
                    using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                    var chunk = new byte[ChunkBytes];
                    int read;
                    while ((read = await body.ReadAsync(chunk, 0, chunk.Length, ct).ConfigureAwait(false)) > 0)
                    {
                        if (copy.Length + read > MaximumBytes) throw TooLarge(response, target, isCreate);
                        copy.Write(chunk, 0, read);
                    }
                    return copy;
                }
                // A closed response fails the read with whatever the runtime throws (IOException, ObjectDisposedException, WebException).
                catch (Exception e) when (ct.IsCancellationRequested && !(e is OperationCanceledException))
                {
                    throw new OperationCanceledException(e.Message, e, ct);
                }
            }
        }

        /// <summary>The body's JSON: its bytes after a UTF-8 byte order mark, if one came (JSON is UTF-8, RFC 8259).</summary>
        public static ReadOnlySpan<byte> Json(MemoryStream body)
        {
            var bytes = new ReadOnlySpan<byte>(body.GetBuffer(), 0, (int)body.Length);
            return bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? bytes.Slice(3) : bytes;
        }

        /// <summary>Whether the body starts, after white space, with '&lt;': a page, not JSON.</summary>
        public static bool LooksLikeMarkup(ReadOnlySpan<byte> json)
        {
            foreach (var b in json)
            {
                if (b == (byte)' ' || b == (byte)'\t' || b == (byte)'\r' || b == (byte)'\n') continue;
                return b == (byte)'<';
            }
            return false;
        }

        /// <summary>
        /// Retryable, as any unreadable answer is (one from a passing proxy fault reads right the next time); for a create, the
        /// task may exist, so it is looked up by its external id before anything is sent again.
        /// </summary>
        private static KlingApiException TooLarge(HttpResponseMessage response, string target, bool isCreate) =>
            new KlingApiException(KlingErrorKind.InvalidResponse, Messages.AnswerTooLarge(target, (int)response.StatusCode, MaximumBytes))
            {
                StatusCode = response.StatusCode, Target = target, IsRetryable = true, OutcomeUnknown = isCreate, Cause = FailureCause.AnswerTooLarge,
            };
    }
}
