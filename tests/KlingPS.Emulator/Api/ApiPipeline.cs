using System.Text;

namespace KlingPS.Emulator.Api;

/// <summary>
/// Runs every API request the same way: read the body, add latency, inject the fault that fires,
/// let the handler answer, log, write. Handlers are synchronous functions from body to answer,
/// so faults can replace, delay or swallow their answers uniformly; a handler also gets the fault,
/// for the faults that change what it answers (MissingTaskId, RepeatedTaskId, BadTaskField).
/// </summary>
internal sealed class ApiPipeline(EmulatorOptions options, RequestLog log, SeededRandom faultRandom, CancellationToken stopping)
{
    /// <param name="target">Null for requests faults never apply to (unknown paths).</param>
    /// <param name="fits">See <see cref="FaultList.Match"/>.</param>
    public async Task RunAsync(HttpContext context, FaultTarget? target, string? route, Func<string?, FaultRule?, ApiAnswer> handle,
        Func<FaultRule, bool>? fits = null)
    {
        var arrived = DateTimeOffset.UtcNow;
        string kind = target?.ToString().ToLowerInvariant() ?? "other";
        var (body, bodyBytes) = await ReadBodyAsync(context.Request);
        var fault = target is { } t ? options.Faults.Match(t, route, faultRandom, fits) : null;

        // Delays run on the emulator's lifetime, not the request's: a slow upstream keeps working
        // after the client gives up (a timed-out create may still make its task).
        var wait = options.Latency + TimeSpan.FromMilliseconds(fault?.Kind == FaultKind.Delay ? fault.DelayMs : 0);
        try
        {
            if (wait > TimeSpan.Zero) await Task.Delay(wait, stopping);
        }
        catch (OperationCanceledException)
        {
            context.Abort();
            return;
        }

        if (fault?.Kind == FaultKind.DropBeforeAccept)
        {
            log.Add(kind, context, arrived, 0, body, bodyBytes, fault);
            context.Abort();
            return;
        }

        var answer = fault?.ReplacementAnswer() ?? handle(body, fault);
        if (fault?.Kind == FaultKind.DropAfterAccept)
        {
            log.Add(kind, context, arrived, 0, body, bodyBytes, fault);
            context.Abort();
            return;
        }

        log.Add(kind, context, arrived, answer.Status, body, bodyBytes, fault);
        await answer.WriteAsync(context, fault, stopping);
    }

    /// <summary>The body as text (null when empty), and its size in bytes as it came (chunked bodies have no Content-Length).</summary>
    private static async Task<(string? Text, long Bytes)> ReadBodyAsync(HttpRequest request)
    {
        using var bytes = new MemoryStream();
        await request.Body.CopyToAsync(bytes);
        bytes.Position = 0;
        using var reader = new StreamReader(bytes, Encoding.UTF8);
        string text = await reader.ReadToEndAsync();
        return (text.Length == 0 ? null : text, bytes.Length);
    }
}
