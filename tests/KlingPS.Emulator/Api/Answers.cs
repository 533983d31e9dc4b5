using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KlingPS.Emulator.Api;

/// <summary>
/// A complete API answer, built before anything is written so the pipeline can still replace it,
/// delay it or drop the connection instead.
/// </summary>
internal sealed record ApiAnswer(int Status, string Body, string ContentType)
{
    public string? Location { get; init; }
    public string? RetryAfter { get; init; }

    /// <summary>
    /// Writes the answer, or the broken form of it the fault asks for: under a mid-body fault (<see cref="MidBody.Cuts"/>)
    /// the headers (full Content-Length) and half the body, ended as the fault says; EndlessBody; OversizedAnswer.
    /// </summary>
    public async Task WriteAsync(HttpContext context, FaultRule? fault, CancellationToken stopping)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(Body);
        var response = context.Response;
        response.StatusCode = Status;
        response.ContentType = ContentType;
        response.ContentLength = bytes.Length;
        if (Location is not null) response.Headers.Location = Location;
        if (RetryAfter is not null) response.Headers.RetryAfter = RetryAfter;
        switch (fault?.Kind)
        {
            case FaultKind.DropMidBody:
            case FaultKind.StallAfterHeaders:
                await response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
                await MidBody.EndAsync(context, fault.Kind, stopping);
                break;
            case FaultKind.EndlessBody:
                // Cut inside the first string value, so the endless letters that follow keep it valid JSON so far.
                int open = bytes.AsSpan().IndexOf("\":\""u8);
                await FaultyBodies.SendEndlessAsync(context, [bytes.AsMemory(0, open < 0 ? bytes.Length : open + 3)], stopping);
                break;
            case FaultKind.OversizedAnswer:
                await WriteOversizedAsync(context, bytes, fault, stopping);
                break;
            default:
                await response.Body.WriteAsync(bytes);
                break;
        }
    }

    /// <summary>
    /// The real answer with a first property "trace" whose string fills it to the fault's size: valid
    /// JSON, and a client must read all of it to reach "code" and "data".
    /// </summary>
    private static Task WriteOversizedAsync(HttpContext context, byte[] json, FaultRule fault, CancellationToken stopping)
    {
        byte[] head = "{\"trace\":\""u8.ToArray();
        byte[] tail = [.. "\","u8, .. json.AsSpan(1)];
        long padding = Math.Max(0, fault.EffectiveSizeBytes - head.Length - tail.Length);
        var content = new ReadOnlyMemory<byte>[] { head }.Concat(FaultyBodies.Filler(padding)).Append(tail);
        if (fault.Gzip) return FaultyBodies.SendGzipAsync(context, content, stopping);
        context.Response.ContentLength = head.Length + padding + tail.Length;
        return FaultyBodies.SendAsync(context, content, stopping);
    }
}

/// <summary>How an answer ends under the faults that send its headers and only half its body.</summary>
internal static class MidBody
{
    public static bool Cuts(FaultRule? fault) => fault?.Kind is FaultKind.DropMidBody or FaultKind.StallAfterHeaders;

    /// <summary>
    /// DropMidBody aborts the connection. Aborting right after a flush would discard the bytes still queued in
    /// Kestrel's transport, so the client would see no body at all; a short pause lets them reach the client first.
    /// StallAfterHeaders keeps the connection open and sends nothing more until the client gives up or the emulator
    /// stops, as a stuck upstream or proxy does.
    /// </summary>
    public static async Task EndAsync(HttpContext context, FaultKind kind, CancellationToken stopping)
    {
        await context.Response.Body.FlushAsync(context.RequestAborted);
        if (kind == FaultKind.StallAfterHeaders)
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            try { await Task.Delay(Timeout.Infinite, either.Token); }
            catch (OperationCanceledException) { }
        }
        else
        {
            await Task.Delay(100, context.RequestAborted);
        }
        context.Abort();
    }
}

/// <summary>The body styles the real service answers with.</summary>
internal static class Answers
{
    private const string Json = "application/json; charset=utf-8";

    /// <summary>Escape only what JSON requires (the default also escapes quotes and &lt; as \u00XX, which the service does not).</summary>
    public static readonly JsonSerializerOptions JsonText = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static ApiAnswer Ok(JsonObject body) => new(200, body.ToJsonString(JsonText), Json);

    /// <summary>Kling's own error body; Kling request ids are GUIDs.</summary>
    public static ApiAnswer Kling(int status, int code, string message) => new(status, new JsonObject
    {
        ["code"] = code,
        ["message"] = message,
        ["request_id"] = Guid.NewGuid().ToString(),
    }.ToJsonString(JsonText), Json);

    /// <summary>CometAPI's gateway error body; the request id is part of the message, as the gateway does it.</summary>
    public static ApiAnswer Gateway(int status, string message, string code = "") => new(status, new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["message"] = $"{message} (request id: {GatewayRequestId()})",
            ["type"] = "comet_api_error",
            ["param"] = "",
            ["code"] = code,
        },
    }.ToJsonString(JsonText), Json);

    public static ApiAnswer InvalidToken() => Gateway(401, "Invalid token");

    /// <summary>What a wrong path gets on the real gateway: its website, with status 200.</summary>
    public static ApiAnswer Website() => new(200, """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>CometAPI - All AI Models in One API</title></head>
        <body><div id="root"><h1>CometAPI</h1><p>Access 500+ AI models through one API.</p></div></body>
        </html>
        """, "text/html; charset=utf-8");

    public static ApiAnswer Redirect(string location) => new(301,
        $"<html><body><a href=\"{location}\">Moved Permanently</a>.</body></html>", "text/html; charset=utf-8")
    {
        Location = location,
    };

    /// <summary>A create answer cut off mid-string, as a broken proxy would deliver it.</summary>
    public static ApiAnswer TruncatedJson() =>
        new(200, """{"code":0,"message":"success","data":{"task_id":"20322739""", Json);

    // Gateway ids look like a timestamp followed by random characters; they are not part of the
    // seeded behaviour, so they use the shared unseeded generator.
    private static string GatewayRequestId() =>
        $"{DateTime.UtcNow:yyyyMMddHHmmssfff}{Random.Shared.Next():x8}";
}
