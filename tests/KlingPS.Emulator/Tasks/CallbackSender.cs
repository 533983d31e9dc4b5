using System.Text;
using System.Text.Json.Nodes;

namespace KlingPS.Emulator;

/// <summary>
/// POSTs the task object to callback_url at each status change, like the service. Best effort:
/// failures and slow receivers are ignored (short timeout), and only loopback URLs are called so a
/// test can never make the emulator reach out to the network.
/// </summary>
internal sealed class CallbackSender(Func<EmulatedTask, DateTimeOffset, JsonObject> taskJson, CancellationToken stopping) : IDisposable
{
    private readonly HttpClient http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };

    public void Schedule(EmulatedTask task)
    {
        if (!Uri.TryCreate(task.CallbackUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || !url.IsLoopback)
            return;
        _ = RunAsync(task, url);
    }

    private async Task RunAsync(EmulatedTask task, Uri url)
    {
        try
        {
            await PostAsync(url, task, task.CreatedAt);
            if (task.ProcessingAt < task.FinishedAt)
            {
                await WaitUntilAsync(task.ProcessingAt);
                await PostAsync(url, task, task.ProcessingAt);
            }
            await WaitUntilAsync(task.FinishedAt);
            await PostAsync(url, task, task.FinishedAt);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The emulator is shutting down; pending callbacks are dropped.
        }
    }

    private async Task PostAsync(Uri url, EmulatedTask task, DateTimeOffset at)
    {
        using var content = new StringContent(taskJson(task, at).ToJsonString(Api.Answers.JsonText), Encoding.UTF8, "application/json");
        try
        {
            using var response = await http.PostAsync(url, content, stopping);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !stopping.IsCancellationRequested))
        {
            // Best effort: a receiver that is down or slow only misses this update; polling stays the fallback.
        }
    }

    private Task WaitUntilAsync(DateTimeOffset time)
    {
        var wait = time - DateTimeOffset.UtcNow;
        return wait > TimeSpan.Zero ? Task.Delay(wait, stopping) : Task.CompletedTask;
    }

    public void Dispose() => http.Dispose();
}
