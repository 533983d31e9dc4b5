using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace KlingPS.Emulator;

/// <summary>
/// POSTs the task object (a query's data) to callback_url at each status change, like the service:
/// signed the Standard Webhooks way when a secret is set, retried with backoff when delivery fails,
/// delivered twice when asked. Each message is delivered on its own, so a retried message may arrive
/// after a later one. Best effort and bounded; only loopback URLs are called, so a test can never make
/// the emulator reach out to the network.
/// </summary>
internal sealed class CallbackSender(
    EmulatorOptions options, CallbackLog log, Func<EmulatedTask, DateTimeOffset, JsonObject> taskJson, CancellationToken stopping) : IDisposable
{
    private const int Gone = 410; // Standard Webhooks: the receiver wants no more; never retried

    private readonly HttpClient http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromSeconds(2),
    };

    public void Schedule(EmulatedTask task)
    {
        if (!Uri.TryCreate(task.CallbackUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || !url.IsLoopback)
            return;
        _ = SendAtAsync(url, task, task.CreatedAt);
        if (task.ProcessingAt < task.FinishedAt) _ = SendAtAsync(url, task, task.ProcessingAt);
        _ = SendAtAsync(url, task, task.FinishedAt);
    }

    /// <summary>One message: the task as it is at <paramref name="at"/>, one body and one id for all its attempts and copies.</summary>
    private async Task SendAtAsync(Uri url, EmulatedTask task, DateTimeOffset at)
    {
        try
        {
            var wait = at - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, stopping);
            string messageId = "msg_" + Guid.NewGuid().ToString("N");
            string body = taskJson(task, at).ToJsonString(Api.Answers.JsonText);
            int copies = options.DuplicateCallbacks ? 2 : 1;
            for (int copy = 1; copy <= copies; copy++)
                await DeliverAsync(url, messageId, body, copy);
        }
        catch (Exception e) when (stopping.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException)
        {
            // The emulator is shutting down; pending callbacks are dropped.
        }
    }

    /// <summary>Tries once, then up to CallbackRetries more times, waiting CallbackRetryDelay, doubled each time.</summary>
    private async Task DeliverAsync(Uri url, string messageId, string body, int copy)
    {
        var delay = options.CallbackRetryDelay;
        for (int attempt = 1; ; attempt++)
        {
            int status = await AttemptAsync(url, messageId, body, copy, attempt);
            if (status is >= 200 and < 300 or Gone || attempt > options.CallbackRetries) return;
            await Task.Delay(delay, stopping);
            delay *= 2;
        }
    }

    /// <returns>The receiver's status, or 0 when it gave no answer.</returns>
    private async Task<int> AttemptAsync(Uri url, string messageId, string body, int copy, int attempt)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        // Signed per attempt (the secret may change while tasks run): as the spec says, a retry carries
        // a fresh timestamp with the same id and body.
        if (options.CallbackSecret is { } secret)
        {
            long timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            request.Headers.Add("webhook-id", messageId);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", WebhookSignature.Sign(WebhookSignature.KeyOf(secret), messageId, timestamp, body));
        }
        var headers = request.Headers.Concat(request.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);

        var sent = DateTimeOffset.UtcNow;
        int status = 0;
        string? error = null;
        try
        {
            using var response = await http.SendAsync(request, stopping);
            status = (int)response.StatusCode;
        }
        catch (HttpRequestException e)
        {
            error = e.Message;
        }
        catch (TaskCanceledException) when (!stopping.IsCancellationRequested)
        {
            error = $"no answer within {http.Timeout.TotalSeconds:0} s";
        }
        log.Add(new CallbackDelivery(sent, url.ToString(), messageId, copy, attempt, headers, body, status, error));
        return status;
    }

    public void Dispose() => http.Dispose();
}
