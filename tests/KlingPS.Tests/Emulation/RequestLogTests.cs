using System.Net;
using System.Text;

namespace KlingPS.Tests.Emulation;

/// <summary>The request log counts every byte a client uploads, which the benchmark reads as bytes sent per image.</summary>
public class RequestLogTests
{
    [Fact]
    public async Task A_body_is_counted_whole_in_bytes_when_it_is_cut_in_the_log_and_when_it_comes_chunked()
    {
        await using var w = await Wire.StartAsync();
        // Longer than the log keeps, with a two-byte character, so bytes and characters differ.
        var prompt = "é" + new string('a', KlingPS.Emulator.RequestLog.MaxBodyChars);
        var json = "{\"image\":\"https://example.com/cat.png\",\"prompt\":\"" + prompt + "\"}";
        var bytes = Encoding.UTF8.GetBytes(json);

        await PostAsync(w, bytes, chunked: false);
        await PostAsync(w, bytes, chunked: true);

        var creates = w.Emulator.Log.Entries.Where(e => e.Method == "POST").ToList();
        Assert.Equal(2, creates.Count);
        Assert.All(creates, e => Assert.Equal(bytes.Length, e.BodyBytes));
        Assert.All(creates, e => Assert.Equal(KlingPS.Emulator.RequestLog.MaxBodyChars, e.Body!.Length));
        await w.Http.GetAsync(Wire.ImageToVideo + "/1"); // a request without a body
        Assert.Equal(0, w.Emulator.Log.Entries[^1].BodyBytes);
    }

    private static async Task PostAsync(Wire w, byte[] body, bool chunked)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Wire.ImageToVideo) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = chunked; // as KlingPS streams an image: no Content-Length
        using var response = await w.Http.SendAsync(request);
        // The prompt is over the service's 2500 characters: refused, but read and logged like any create.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
