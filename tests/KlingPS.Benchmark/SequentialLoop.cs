using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace KlingPS.Benchmark;

internal sealed record LoopResult(TimeSpan Elapsed, int Saved, IReadOnlyList<string> Failures);

/// <summary>
/// The loop users would otherwise write, in C# the way sequential-loop.ps1 writes it in PowerShell:
/// read the whole image, Base64 it into a JSON body, POST, then sleep and poll until the task is final,
/// download, next image. Bounded: a task still running after <c>perTaskTimeout</c> is given up.
/// </summary>
internal static class SequentialLoop
{
    public static async Task<LoopResult> RunAsync(Uri baseUri, IReadOnlyList<string> files, string outFolder, TimeSpan poll,
        TimeSpan perTaskTimeout, CancellationToken ct)
    {
        using var http = Http(baseUri);
        var failures = new List<string>();
        var saved = 0;
        var clock = Stopwatch.StartNew();
        foreach (var file in files)
        {
            var taskId = await SubmitAsync(http, file, ct);

            var deadline = DateTime.UtcNow + perTaskTimeout;
            JsonElement task;
            string? status;
            do
            {
                await Task.Delay(poll, ct);
                task = await DataAsync(http.GetAsync($"kling/v1/videos/image2video/{taskId}", ct));
                status = task.GetProperty("task_status").GetString();
            }
            while (status is not ("succeed" or "failed") && DateTime.UtcNow < deadline);

            if (status != "succeed")
            {
                failures.Add($"{Path.GetFileName(file)}: task {taskId} {status}");
                continue;
            }
            var url = task.GetProperty("task_result").GetProperty("videos")[0].GetProperty("url").GetString()!;
            await using (var video = await http.GetStreamAsync(url, ct))
            await using (var target = File.Create(Path.Combine(outFolder, Path.GetFileNameWithoutExtension(file) + ".mp4")))
                await video.CopyToAsync(target, ct);
            saved++;
        }
        return new LoopResult(clock.Elapsed, saved, failures);
    }

    /// <summary>The naive submission: the whole file in memory, then its Base64 text, then the JSON text holding it.</summary>
    public static async Task<string> SubmitAsync(HttpClient http, string file, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["image"] = Convert.ToBase64String(File.ReadAllBytes(file)),
            ["prompt"] = "slow push-in", ["model_name"] = "kling-v2-6", ["mode"] = "std", ["duration"] = "5",
        });
        var created = await DataAsync(http.PostAsync("kling/v1/videos/image2video", new StringContent(body, Encoding.UTF8, "application/json"), ct));
        return created.GetProperty("task_id").GetString()!;
    }

    /// <summary>A client as the loop sets it up: the emulator's address and the key.</summary>
    public static HttpClient Http(Uri baseUri)
    {
        var http = new HttpClient { BaseAddress = baseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BenchOptions.ApiKey);
        return http;
    }

    private static async Task<JsonElement> DataAsync(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("data").Clone();
    }
}
