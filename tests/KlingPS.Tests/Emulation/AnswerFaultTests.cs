using System.IO.Compression;
using System.Text;
using System.Text.Json;
using KlingPS.Emulator;

namespace KlingPS.Tests.Emulation;

/// <summary>The API answer faults of the emulator, as bytes on the wire (issue 12: answers that misbehave).</summary>
public class AnswerFaultTests
{
    [Fact]
    public async Task EndlessBody_on_a_create_makes_the_task_and_answers_a_json_prefix_that_never_ends()
    {
        await using var w = await Wire.StartAsync(o => o.Faults.Add(FaultRule.EndlessBody().ForTarget(FaultTarget.Create)));
        using var request = new HttpRequestMessage(HttpMethod.Post, Wire.ImageToVideo)
        {
            Content = new StringContent("""{"image":"https://example.com/cat.png"}""", Encoding.UTF8, "application/json"),
        };
        using var response = await w.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.True(response.Headers.TransferEncodingChunked);
        await using var body = await response.Content.ReadAsStreamAsync();
        var first = new byte[4 << 20];
        await body.ReadExactlyAsync(first);
        string text = Encoding.ASCII.GetString(first);
        const string prefix = "{\"code\":0,\"message\":\"";
        Assert.StartsWith(prefix, text);
        Assert.True(text[prefix.Length..].All(char.IsAsciiLetterOrDigit), "the string opened after \"message\": never closes");
        Assert.Equal(1, w.Emulator.TasksCreated);
    }

    [Fact]
    public async Task OversizedAnswer_is_valid_json_of_exactly_the_configured_size_with_the_real_answer_in_it()
    {
        const int size = 8 << 20;
        await using var w = await Wire.StartAsync();
        string taskId = await w.CreateTaskAsync();
        w.Emulator.Options.Faults.Add(FaultRule.OversizedAnswer(size).ForTarget(FaultTarget.Query));

        using var response = await w.Http.GetAsync($"{Wire.ImageToVideo}/{taskId}");
        byte[] body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked); // a real Content-Length, not a buffered count
        Assert.Equal(size, response.Content.Headers.ContentLength);
        Assert.Equal(size, body.Length);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        var answer = JsonDocument.Parse(body).RootElement;
        Assert.Equal("trace", answer.EnumerateObject().First().Name); // read all of it before reaching code and data
        Assert.Equal(0, answer.GetProperty("code").GetInt32());
        Assert.Equal(taskId, answer.GetProperty("data").GetProperty("task_id").GetString());
    }

    [Fact]
    public async Task OversizedAnswer_with_gzip_is_under_a_MiB_on_the_wire_and_hundreds_of_MiB_inflated()
    {
        await using var w = await Wire.StartAsync(o => o.Faults.Add(FaultRule.OversizedAnswer(gzip: true).ForTarget(FaultTarget.Create)));

        using var response = await w.Http.PostAsync(Wire.ImageToVideo,
            new StringContent("""{"image":"https://example.com/cat.png","external_task_id":"big-1"}""", Encoding.UTF8, "application/json"));
        byte[] wire = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.InRange(wire.Length, 1, 1 << 20);
        using var inflated = new GZipStream(new MemoryStream(wire), CompressionMode.Decompress);
        var (length, tail) = await LengthAndTailAsync(inflated, 512);
        Assert.Equal(256L << 20, length); // the default size
        Assert.Contains("\"external_task_id\":\"big-1\"", tail);
        Assert.EndsWith("}", tail);
        Assert.Equal(1, w.Emulator.TasksCreated); // the create was done
    }

    [Fact]
    public async Task MissingTaskId_makes_the_task_but_its_answer_has_no_task_id()
    {
        await using var w = await Wire.StartAsync(o => o.Faults.Add(FaultRule.MissingTaskId()));

        var (status, answer) = await w.CreateAsync("lost-1");

        Assert.Equal(200, status);
        Assert.Equal(0, answer.GetProperty("code").GetInt32());
        var data = answer.GetProperty("data");
        Assert.False(data.TryGetProperty("task_id", out _));
        Assert.Equal("lost-1", data.GetProperty("task_info").GetProperty("external_task_id").GetString());
        var task = Assert.Single(w.Emulator.Tasks);
        Assert.Equal(task.TaskId, (await w.QueryAsync("lost-1")).GetProperty("task_id").GetString());
    }

    [Fact]
    public async Task RepeatedTaskId_answers_the_previous_creates_id_while_every_task_exists()
    {
        await using var w = await Wire.StartAsync(o => o.Faults.Add(FaultRule.RepeatedTaskId().ForTarget(FaultTarget.Create, "image2video")));

        var answered = new List<string>();
        for (int i = 1; i <= 3; i++)
            answered.Add(await w.CreateTaskAsync($"rep-{i}"));

        var tasks = w.Emulator.Tasks;
        Assert.Equal(3, tasks.Select(t => t.TaskId).Distinct().Count());
        // The first create has no earlier one to repeat, so the rule waits; then each answer names the previous task.
        Assert.Equal([tasks[0].TaskId, tasks[0].TaskId, tasks[1].TaskId], answered);
        Assert.Equal([null, "RepeatedTaskId", "RepeatedTaskId"], w.Emulator.Log.Entries.Select(e => e.Fault));
        Assert.Equal(tasks[2].TaskId, (await w.QueryAsync("rep-3")).GetProperty("task_id").GetString());
    }

    [Fact]
    public async Task Without_unique_external_ids_a_second_create_makes_a_second_task_and_the_query_finds_the_newest()
    {
        await using var w = await Wire.StartAsync(o => o.UniqueExternalTaskIds = false);

        string first = await w.CreateTaskAsync("same-1");
        string second = await w.CreateTaskAsync("same-1");

        Assert.NotEqual(first, second);
        Assert.Equal(2, w.Emulator.TasksCreated);
        Assert.Equal(second, (await w.QueryAsync("same-1")).GetProperty("task_id").GetString());
        Assert.Equal(first, (await w.QueryAsync(first)).GetProperty("task_id").GetString());
    }

    [Fact]
    public async Task By_default_a_second_create_with_the_same_external_id_is_refused()
    {
        await using var w = await Wire.StartAsync();
        await w.CreateTaskAsync("same-1");

        var (status, answer) = await w.CreateAsync("same-1");

        Assert.Equal(400, status);
        Assert.Equal(1201, answer.GetProperty("code").GetInt32());
        Assert.Equal(1, w.Emulator.TasksCreated);
    }

    private static async Task<(long Length, string Tail)> LengthAndTailAsync(Stream stream, int tailLength)
    {
        var buffer = new byte[1 << 20];
        var tail = new List<byte>();
        long length = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            length += read;
            tail.AddRange(buffer.AsSpan(Math.Max(0, read - tailLength), Math.Min(read, tailLength)));
            if (tail.Count > tailLength) tail.RemoveRange(0, tail.Count - tailLength);
        }
        return (length, Encoding.UTF8.GetString(tail.ToArray()));
    }
}
