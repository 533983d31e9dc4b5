using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using KlingPS.Emulator;

namespace KlingPS.Tests.Emulation;

/// <summary>
/// An emulator and a plain HttpClient (no decompression, no redirects, no module code), so the
/// emulator's own tests see exactly what goes over the wire.
/// </summary>
public sealed class Wire : IAsyncDisposable
{
    public const string Key = "test-key";
    public const string ImageToVideo = "kling/v1/videos/image2video";

    private Wire(KlingEmulator emulator)
    {
        Emulator = emulator;
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = emulator.BaseUri,
            Timeout = TimeSpan.FromSeconds(30),
        };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
    }

    public KlingEmulator Emulator { get; }
    public HttpClient Http { get; }

    public static async Task<Wire> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions
        {
            SubmittedTime = TimeSpan.FromMilliseconds(50),
            GenerationTime = TimeSpan.FromMilliseconds(150),
        };
        configure?.Invoke(options);
        return new Wire(await KlingEmulator.StartAsync(options));
    }

    /// <summary>POSTs an image2video create with a URL image; returns the status and the parsed answer.</summary>
    public async Task<(int Status, JsonElement Answer)> CreateAsync(string? externalTaskId = null, string? callbackUrl = null)
    {
        var body = new Dictionary<string, string> { ["image"] = "https://example.com/cat.png" };
        if (externalTaskId is not null) body["external_task_id"] = externalTaskId;
        if (callbackUrl is not null) body["callback_url"] = callbackUrl;
        using var response = await Http.PostAsync(ImageToVideo,
            new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>Creates a task and returns its task_id (the answer's, which the create faults may change).</summary>
    public async Task<string> CreateTaskAsync(string? externalTaskId = null, string? callbackUrl = null)
    {
        var (status, answer) = await CreateAsync(externalTaskId, callbackUrl);
        Assert.Equal(200, status);
        return answer.GetProperty("data").GetProperty("task_id").GetString()!;
    }

    /// <summary>GETs a task by task_id or external_task_id; returns the answer's data.</summary>
    public async Task<JsonElement> QueryAsync(string id)
    {
        using var response = await Http.GetAsync($"{ImageToVideo}/{id}");
        Assert.Equal(200, (int)response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data").Clone();
    }

    /// <summary>Polls (at most 10 s) until the task has succeeded; returns its video URL.</summary>
    public async Task<Uri> VideoUrlAsync(string taskId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var data = await QueryAsync(taskId);
            if (data.GetProperty("task_status").GetString() == "succeed")
                return new Uri(data.GetProperty("task_result").GetProperty("videos")[0].GetProperty("url").GetString()!);
            Assert.True(DateTime.UtcNow < deadline, $"task {taskId} did not succeed within 10 s");
            await Task.Delay(50);
        }
    }

    /// <summary>A succeeded task's video id and URL.</summary>
    public async Task<(string VideoId, Uri Url)> VideoAsync()
    {
        var url = await VideoUrlAsync(await CreateTaskAsync());
        return (Path.GetFileNameWithoutExtension(url.AbsolutePath), url);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }
}
