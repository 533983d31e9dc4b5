using System.IO.Compression;
using System.Net.Http.Headers;
using KlingPS.Emulator;

namespace KlingPS.Tests.Emulation;

/// <summary>The download faults of the emulator, as bytes on the wire (issue 12: bounded, checked downloads).</summary>
public class DownloadFaultTests
{
    [Fact]
    public async Task WrongContentRange_answers_a_resume_from_another_offset_with_a_consistent_header_and_body()
    {
        await using var w = await Wire.StartAsync();
        var (videoId, url) = await w.VideoAsync();
        byte[] file = w.Emulator.ExpectedVideoBytes(videoId);
        w.Emulator.Options.Faults.Add(FaultRule.WrongContentRange(servedFrom: 50).ForTarget(FaultTarget.Download).AtMost(1));

        // A download without Range cannot show the fault: it is answered normally and not counted.
        using (var whole = await w.Http.GetAsync(url))
        {
            Assert.Equal(200, (int)whole.StatusCode);
            Assert.Equal(file, await whole.Content.ReadAsByteArrayAsync());
        }

        using (var wrong = await GetRangeAsync(w, url, from: 100))
        {
            Assert.Equal(206, (int)wrong.StatusCode);
            Assert.Equal($"bytes 50-{file.Length - 1}/{file.Length}", wrong.Content.Headers.ContentRange!.ToString());
            Assert.Equal(file.Length - 50, wrong.Content.Headers.ContentLength);
            Assert.Equal(file[50..], await wrong.Content.ReadAsByteArrayAsync());
        }

        // AtMost(1): the next resume is right again.
        using var right = await GetRangeAsync(w, url, from: 100);
        Assert.Equal($"bytes 100-{file.Length - 1}/{file.Length}", right.Content.Headers.ContentRange!.ToString());
        Assert.Equal(file[100..], await right.Content.ReadAsByteArrayAsync());
        Assert.Equal([null, "WrongContentRange from 50", null], w.Emulator.Log.Entries.Where(e => e.Path.StartsWith("/files/")).Select(e => e.Fault));
    }

    [Fact]
    public async Task WrongContentRange_from_the_start_is_a_206_for_the_whole_file()
    {
        await using var w = await Wire.StartAsync(o => o.Faults.Add(FaultRule.WrongContentRange()));
        var (videoId, url) = await w.VideoAsync();
        byte[] file = w.Emulator.ExpectedVideoBytes(videoId);

        using var response = await GetRangeAsync(w, url, from: 1000);

        Assert.Equal(206, (int)response.StatusCode);
        Assert.Equal($"bytes 0-{file.Length - 1}/{file.Length}", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(file, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task GzipVideo_sends_a_small_gzip_body_that_inflates_to_the_configured_size()
    {
        const long expanded = 64L << 20;
        await using var w = await Wire.StartAsync(o => o.Faults.Add(FaultRule.GzipVideo(expanded).ForTarget(FaultTarget.Download)));
        var (videoId, url) = await w.VideoAsync();
        byte[] file = w.Emulator.ExpectedVideoBytes(videoId);

        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(100, null) } };
        using var response = await w.Http.SendAsync(request);
        byte[] wire = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(200, (int)response.StatusCode); // the Range is ignored
        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Equal("video/mp4", response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.InRange(wire.Length, 1, 256 * 1024);

        using var inflated = new GZipStream(new MemoryStream(wire), CompressionMode.Decompress);
        var head = new byte[file.Length];
        await inflated.ReadExactlyAsync(head);
        Assert.Equal(file, head);
        long rest = 0, read;
        var buffer = new byte[1 << 20];
        while ((read = await inflated.ReadAsync(buffer)) > 0)
        {
            Assert.True(buffer.AsSpan(0, (int)read).IndexOfAnyExcept((byte)0) < 0, "after the video, the body inflates to zeros");
            rest += read;
        }
        Assert.Equal(expanded, file.Length + rest);
    }

    [Fact]
    public async Task EndlessBody_sends_the_video_then_never_ends_and_is_aborted_when_the_emulator_stops()
    {
        var w = await Wire.StartAsync(o => o.Faults.Add(FaultRule.EndlessBody().ForTarget(FaultTarget.Download)));
        try
        {
            var (videoId, url) = await w.VideoAsync();
            byte[] file = w.Emulator.ExpectedVideoBytes(videoId);

            using var response = await w.Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Null(response.Content.Headers.ContentLength);
            Assert.True(response.Headers.TransferEncodingChunked);

            await using var body = await response.Content.ReadAsStreamAsync();
            var head = new byte[file.Length];
            await body.ReadExactlyAsync(head);
            Assert.Equal(file, head);
            var more = new byte[16 << 20];
            await body.ReadExactlyAsync(more); // far past the end of the file, and still going

            // Stopping must abort the connection, never end the body cleanly.
            var stopped = w.Emulator.DisposeAsync().AsTask(); // the emulator only: closing the client would end the read too
            var ending = Assert.ThrowsAnyAsync<IOException>(async () =>
            {
                var buffer = new byte[1 << 20];
                while (await body.ReadAsync(buffer) > 0) { }
            });
            Assert.Same(ending, await Task.WhenAny(ending, Task.Delay(TimeSpan.FromSeconds(10))));
            await ending;
            await stopped;
        }
        finally
        {
            await w.DisposeAsync();
        }
    }

    private static Task<HttpResponseMessage> GetRangeAsync(Wire w, Uri url, long from)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(from, null) } };
        return w.Http.SendAsync(request);
    }
}
