using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using KlingPS.Emulator.Api;
using Microsoft.Net.Http.Headers;

namespace KlingPS.Emulator;

/// <summary>
/// Serves result videos like a CDN (no key needed). Each video is the embedded sample MP4 followed
/// by a top-level "free" box (players skip it) holding the video id, which makes every file unique,
/// and then the task's padding. The padding is a position-dependent pattern (not zeros), so a resume
/// at a wrong offset produces different bytes and fails a hash check. Nothing beyond the small
/// prefix is ever held in memory.
/// </summary>
internal sealed class VideoFiles(EmulatorOptions options, TaskStore store, RequestLog log, SeededRandom faultRandom, CancellationToken stopping)
{
    private const int PatternPeriod = 251; // prime, so shifted copies never line up
    private static readonly byte[] Sample = LoadSample();
    private static readonly byte[] Pattern = Enumerable.Range(0, PatternPeriod * 261).Select(i => (byte)(i % PatternPeriod)).ToArray();

    public async Task ServeAsync(HttpContext context, string fileName)
    {
        var arrived = DateTimeOffset.UtcNow;
        // A video exists for clients only once its task has succeeded.
        var task = fileName.EndsWith(".mp4", StringComparison.Ordinal) ? store.FindByVideoId(fileName[..^4]) : null;
        var fault = options.Faults.Match(FaultTarget.Download, null, faultRandom, rule => Shows(rule, context.Request, task, arrived));
        if (fault?.Kind == FaultKind.Delay)
        {
            try { await Task.Delay(fault.DelayMs, stopping); }
            catch (OperationCanceledException) { context.Abort(); return; }
        }
        if (fault?.Kind is FaultKind.DropBeforeAccept or FaultKind.DropAfterAccept)
        {
            log.Add("download", context, arrived, 0, null, 0, fault);
            context.Abort();
            return;
        }
        if (fault?.ReplacementAnswer() is { } replacement)
        {
            log.Add("download", context, arrived, replacement.Status, null, 0, fault);
            await replacement.WriteAsync(context, null, stopping);
            return;
        }

        if (task is null || task.StatusAt(DateTimeOffset.UtcNow) != EmulatedTask.Succeed)
        {
            log.Add("download", context, arrived, 404, null, 0, fault);
            context.Response.StatusCode = 404;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("404 Not Found");
            return;
        }

        byte[] prefix = Prefix(task.VideoId, task.VideoPaddingBytes);
        long total = prefix.Length + task.VideoPaddingBytes;
        var response = context.Response;
        response.ContentType = "video/mp4";
        if (fault?.Kind is FaultKind.GzipVideo or FaultKind.EndlessBody)
        {
            // A CDN that compresses on the fly, or one that never stops: 200 whatever the Range, no Content-Length.
            log.Add("download", context, arrived, 200, null, 0, fault);
            var file = Chunks(prefix, 0, total);
            if (fault.Kind == FaultKind.GzipVideo)
                await FaultyBodies.SendGzipAsync(context, file.Concat(FaultyBodies.ZeroBytes(fault.EffectiveSizeBytes - total)), stopping);
            else if (!HttpMethods.IsHead(context.Request.Method))
                await FaultyBodies.SendEndlessAsync(context, file, stopping);
            return;
        }

        long start = 0, count = total;
        if (options.DownloadSupportsRange)
        {
            response.Headers.AcceptRanges = "bytes";
            switch (RequestedRange(context.Request, total))
            {
                case null:
                    break;
                case (long from, long length) when length > 0:
                    // WrongContentRange: a proxy that answers from its own offset; header and body still agree.
                    (start, count) = fault?.Kind == FaultKind.WrongContentRange ? (fault.RangeStart, total - fault.RangeStart) : (from, length);
                    response.StatusCode = 206;
                    response.Headers.ContentRange = $"bytes {start}-{start + count - 1}/{total}";
                    break;
                default:
                    log.Add("download", context, arrived, 416, null, 0, fault);
                    response.StatusCode = 416;
                    response.Headers.ContentRange = $"bytes */{total}";
                    return;
            }
        }
        response.ContentLength = count;
        log.Add("download", context, arrived, response.StatusCode, null, 0, fault);
        if (HttpMethods.IsHead(context.Request.Method)) return;

        bool cut = MidBody.Cuts(fault);
        long toSend = cut ? count / 2 : count;
        try
        {
            foreach (var chunk in Chunks(prefix, start, toSend))
                await response.Body.WriteAsync(chunk, context.RequestAborted);
            if (cut) await MidBody.EndAsync(context, fault!.Kind, stopping);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client went away mid-download; nothing to clean up.
        }
    }

    /// <summary>
    /// Whether this request can show the rule's fault: the video faults need a video to serve, and
    /// WrongContentRange a satisfiable Range request whose offset differs from the one it would serve.
    /// </summary>
    private bool Shows(FaultRule rule, HttpRequest request, EmulatedTask? task, DateTimeOffset now)
    {
        if (rule.Kind is not (FaultKind.WrongContentRange or FaultKind.GzipVideo or FaultKind.EndlessBody)) return true;
        if (task is null || task.StatusAt(now) != EmulatedTask.Succeed) return false;
        if (rule.Kind != FaultKind.WrongContentRange) return true;
        long total = Prefix(task.VideoId, task.VideoPaddingBytes).Length + task.VideoPaddingBytes;
        return options.DownloadSupportsRange && RequestedRange(request, total) is (long from, > 0)
            && from != rule.RangeStart && rule.RangeStart < total;
    }

    public byte[] ExpectedBytes(EmulatedTask task)
    {
        byte[] prefix = Prefix(task.VideoId, task.VideoPaddingBytes);
        var bytes = new byte[checked(prefix.Length + (int)task.VideoPaddingBytes)];
        int at = 0;
        foreach (var chunk in Chunks(prefix, 0, bytes.Length))
        {
            chunk.Span.CopyTo(bytes.AsSpan(at));
            at += chunk.Length;
        }
        return bytes;
    }

    public string ExpectedSha256(EmulatedTask task)
    {
        byte[] prefix = Prefix(task.VideoId, task.VideoPaddingBytes);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var chunk in Chunks(prefix, 0, prefix.Length + task.VideoPaddingBytes))
            hash.AppendData(chunk.Span);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Sample + free box header + id label; the padding that follows is generated on the fly.</summary>
    private static byte[] Prefix(string videoId, long padding)
    {
        byte[] label = Encoding.ASCII.GetBytes($"KlingPS emulator video {videoId}\n");
        long boxSize = 8 + label.Length + padding;
        bool large = boxSize > uint.MaxValue; // MP4 needs the 64-bit "largesize" form beyond 4 GB
        var header = new byte[large ? 16 : 8];
        "free"u8.CopyTo(header.AsSpan(4));
        if (large)
        {
            BinaryPrimitives.WriteUInt32BigEndian(header, 1);
            BinaryPrimitives.WriteInt64BigEndian(header.AsSpan(8), boxSize + 8);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(header, (uint)boxSize);
        }
        return [.. Sample, .. header, .. label];
    }

    /// <summary>The bytes [start, start+count) of the file, in chunks that reuse shared buffers.</summary>
    private static IEnumerable<ReadOnlyMemory<byte>> Chunks(byte[] prefix, long start, long count)
    {
        long end = start + count;
        if (start < prefix.Length)
        {
            int upTo = (int)Math.Min(end, prefix.Length);
            yield return prefix.AsMemory((int)start, upTo - (int)start);
            start = upTo;
        }
        while (start < end)
        {
            int phase = (int)((start - prefix.Length) % PatternPeriod);
            int length = (int)Math.Min(end - start, Pattern.Length - phase);
            yield return Pattern.AsMemory(phase, length);
            start += length;
        }
    }

    /// <summary>
    /// Null: answer the whole file (no Range, or one this emulator ignores such as several ranges,
    /// as RFC 9110 allows). Otherwise the single range, with length 0 when it cannot be satisfied.
    /// </summary>
    private static (long Start, long Length)? RequestedRange(HttpRequest request, long total)
    {
        var range = request.GetTypedHeaders().Range;
        if (range is null || !string.Equals(range.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase) || range.Ranges.Count != 1)
            return null;
        RangeItemHeaderValue item = range.Ranges.First();
        if (item.From is long from)
        {
            if (from >= total) return (0, 0);
            long last = Math.Min(item.To ?? total - 1, total - 1);
            return (from, last - from + 1);
        }
        long suffix = Math.Min(item.To ?? 0, total);
        return (total - suffix, suffix);
    }

    private static byte[] LoadSample()
    {
        using var stream = typeof(VideoFiles).Assembly.GetManifestResourceStream("KlingPS.Emulator.sample.mp4")
            ?? throw new InvalidOperationException("embedded sample.mp4 is missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
