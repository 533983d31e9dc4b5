using System.IO.Compression;

namespace KlingPS.Emulator;

/// <summary>
/// Bodies no well-behaved server sends: endless, gzip bombs, oversized JSON. All are generated as
/// they are written, from small shared buffers, so their size never reaches the emulator's memory.
/// The caller sets the status and headers first.
/// </summary>
internal static class FaultyBodies
{
    private const int ChunkSize = 64 * 1024;
    private static readonly byte[] Zeros = new byte[ChunkSize];
    // One letter repeated: valid inside a JSON string, and gzip shrinks it as well as zeros (about 1:1000).
    private static readonly byte[] Letters = Enumerable.Repeat((byte)'A', ChunkSize).ToArray();

    /// <summary>Zero bytes, <paramref name="count"/> of them.</summary>
    public static IEnumerable<ReadOnlyMemory<byte>> ZeroBytes(long count) => Repeat(Zeros, count);

    /// <summary>The letter A, <paramref name="count"/> of them.</summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Filler(long count) => Repeat(Letters, count);

    /// <summary>
    /// Writes the chunks with chunked transfer encoding (no Content-Length) until the client goes away.
    /// An endless body must never end cleanly: when the emulator stops, the connection is aborted, so
    /// the client never sees a terminating chunk.
    /// </summary>
    public static async Task SendEndlessAsync(HttpContext context, IEnumerable<ReadOnlyMemory<byte>> start, CancellationToken stopping)
    {
        context.Response.ContentLength = null;
        using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            foreach (var chunk in start.Concat(Filler(long.MaxValue)))
                await context.Response.Body.WriteAsync(chunk, both.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            context.Abort();
        }
    }

    /// <summary>Writes the chunks through gzip (Content-Encoding: gzip, chunked), compressing as it goes.</summary>
    public static async Task SendGzipAsync(HttpContext context, IEnumerable<ReadOnlyMemory<byte>> content, CancellationToken stopping)
    {
        var response = context.Response;
        response.ContentLength = null;
        response.Headers.ContentEncoding = "gzip";
        if (HttpMethods.IsHead(context.Request.Method)) return;
        using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            // Optimal, not SmallestSize: as small on zeros (about 1:1000) and ten times faster.
            await using var gzip = new GZipStream(response.Body, CompressionLevel.Optimal, leaveOpen: true);
            foreach (var chunk in content)
                await gzip.WriteAsync(chunk, both.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            context.Abort();
        }
    }

    /// <summary>Writes the chunks as they are (the caller set Content-Length), stopping quietly if the client leaves.</summary>
    public static async Task SendAsync(HttpContext context, IEnumerable<ReadOnlyMemory<byte>> content, CancellationToken stopping)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            foreach (var chunk in content)
                await context.Response.Body.WriteAsync(chunk, both.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            context.Abort();
        }
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Repeat(byte[] buffer, long count)
    {
        for (long left = count; left > 0; left -= buffer.Length)
            yield return buffer.AsMemory(0, (int)Math.Min(left, buffer.Length));
    }
}
