using System.Text.Json;
using KlingPS.Emulator.Api;

namespace KlingPS.Emulator;

/// <summary>Which requests a fault rule looks at.</summary>
public enum FaultTarget { Any, Create, Query, List, Download }

/// <summary>What an injected fault does to a request.</summary>
public enum FaultKind
{
    /// <summary>Answer with StatusCode and a Kling body (KlingCode set) or a CometAPI gateway body (KlingCode null).</summary>
    Status,
    /// <summary>Abort the connection; nothing was done.</summary>
    DropBeforeAccept,
    /// <summary>Handle the request (a create makes its task), then abort without answering.</summary>
    DropAfterAccept,
    /// <summary>Wait DelayMs, then handle the request normally, even if the client has given up.</summary>
    Delay,
    /// <summary>200 with a truncated JSON body; nothing was done.</summary>
    MalformedJson,
    /// <summary>200 text/html website page; nothing was done.</summary>
    Html,
    /// <summary>301 to Location; nothing was done.</summary>
    Redirect,
    /// <summary>Handle the request, send the headers and half the body, then abort.</summary>
    DropMidBody,
    /// <summary>Handle the request, send the headers and half the body, then send nothing more, connection open, until the client gives up or the emulator stops.</summary>
    StallAfterHeaders,
    /// <summary>Downloads: a Range request is answered 206 from RangeStart, not from the offset asked (header and body agree).</summary>
    WrongContentRange,
    /// <summary>Downloads: 200 with Content-Encoding: gzip, a small body that inflates to SizeBytes (the video, then zeros).</summary>
    GzipVideo,
    /// <summary>Handle the request, then send a chunked body that never ends (API: a JSON-looking prefix; video: the file, then more).</summary>
    EndlessBody,
    /// <summary>API answers: handle the request, answer its real JSON padded to SizeBytes (gzip-encoded with Gzip).</summary>
    OversizedAnswer,
    /// <summary>Queries and lists: one task's Field holds Value; the rest of the answer is right.</summary>
    BadTaskField,
    /// <summary>Creates: the task is made, but the answer's data has no task_id.</summary>
    MissingTaskId,
    /// <summary>Creates: the task is made, but the answer carries the task_id of the account's previous create on the route.</summary>
    RepeatedTaskId,
}

/// <summary>
/// One fault: which requests (Target, Route), when (Rate, FirstN, EveryNth, Times; all the given
/// conditions must hold, none given = every request) and what (Kind and its settings).
/// Immutable, so tests build rules fluently and the admin surface deserializes them from JSON;
/// the counters behind FirstN/EveryNth/Times live in the <see cref="FaultList"/>.
/// </summary>
public sealed record FaultRule
{
    public FaultTarget Target { get; init; } = FaultTarget.Any;
    /// <summary>"image2video" or "multi-image2video"; null = any. Downloads have no route.</summary>
    public string? Route { get; init; }
    public FaultKind Kind { get; init; }

    /// <summary>Probability 0..1 per targeted request, drawn from the seeded generator.</summary>
    public double? Rate { get; init; }
    /// <summary>Only the first N targeted requests.</summary>
    public int? FirstN { get; init; }
    /// <summary>Only every Nth targeted request (N, 2N, ...).</summary>
    public int? EveryNth { get; init; }
    /// <summary>At most this many injections.</summary>
    public int? Times { get; init; }

    public int StatusCode { get; init; } = 500;
    /// <summary>Set: Kling body {"code":KlingCode,...}. Null: gateway body {"error":{...,"code":GatewayCode}}.</summary>
    public int? KlingCode { get; init; }
    public string GatewayCode { get; init; } = "";
    /// <summary>Null: the usual message for the code or status.</summary>
    public string? Message { get; init; }
    public int? RetryAfterSeconds { get; init; }
    /// <summary>Send Retry-After as an HTTP date (now + RetryAfterSeconds) instead of seconds.</summary>
    public bool RetryAfterAsDate { get; init; }

    public int DelayMs { get; init; }
    public string Location { get; init; } = "/";

    /// <summary>WrongContentRange: the offset every 206 starts at, whatever was asked.</summary>
    public long RangeStart { get; init; }
    /// <summary>GzipVideo, OversizedAnswer: the decompressed size; null = 1 GiB for a video, 256 MiB for an answer.</summary>
    public long? SizeBytes { get; init; }
    /// <summary>OversizedAnswer: gzip-encode it, so a small body on the wire inflates to SizeBytes.</summary>
    public bool Gzip { get; init; }

    /// <summary>BadTaskField: the task to spoil, by task_id or external_task_id; neither = the first task of each answer.</summary>
    public string? TaskId { get; init; }
    public string? ExternalTaskId { get; init; }
    /// <summary>BadTaskField: where in the task object, e.g. "created_at", "task_status", "task_result.videos[0]".</summary>
    public string Field { get; init; } = "created_at";
    /// <summary>BadTaskField: the JSON value put there; unset = 1e20 (a timestamp no date type holds).</summary>
    public JsonElement Value { get; init; }

    internal long EffectiveSizeBytes => SizeBytes ?? (Kind == FaultKind.GzipVideo ? 1L << 30 : 256L << 20);
    internal JsonElement EffectiveValue => Value.ValueKind == JsonValueKind.Undefined ? DefaultBadValue : Value;
    private static readonly JsonElement DefaultBadValue = JsonDocument.Parse("1e20").RootElement.Clone();

    public static FaultRule Status(int httpStatus, int? klingCode = null, string gatewayCode = "", string? message = null) =>
        new() { Kind = FaultKind.Status, StatusCode = httpStatus, KlingCode = klingCode, GatewayCode = gatewayCode, Message = message };
    public static FaultRule DropBeforeAccept() => new() { Kind = FaultKind.DropBeforeAccept };
    public static FaultRule DropAfterAccept() => new() { Kind = FaultKind.DropAfterAccept };
    public static FaultRule Delay(int milliseconds) => new() { Kind = FaultKind.Delay, DelayMs = milliseconds };
    public static FaultRule MalformedJson() => new() { Kind = FaultKind.MalformedJson };
    public static FaultRule Html() => new() { Kind = FaultKind.Html };
    public static FaultRule Redirect(string location = "/") => new() { Kind = FaultKind.Redirect, Location = location };
    public static FaultRule DropMidBody() => new() { Kind = FaultKind.DropMidBody };
    public static FaultRule WrongContentRange(long servedFrom = 0) => new() { Kind = FaultKind.WrongContentRange, RangeStart = servedFrom };
    public static FaultRule GzipVideo(long? expandedBytes = null) => new() { Kind = FaultKind.GzipVideo, SizeBytes = expandedBytes };
    public static FaultRule EndlessBody() => new() { Kind = FaultKind.EndlessBody };
    public static FaultRule OversizedAnswer(long? bytes = null, bool gzip = false) =>
        new() { Kind = FaultKind.OversizedAnswer, SizeBytes = bytes, Gzip = gzip };
    /// <param name="valueJson">JSON text, e.g. <c>1e20</c>, <c>"soon"</c>, <c>42</c>, <c>null</c>.</param>
    public static FaultRule BadTaskField(string field = "created_at", string valueJson = "1e20") =>
        new() { Kind = FaultKind.BadTaskField, Field = field, Value = JsonDocument.Parse(valueJson).RootElement.Clone() };
    public static FaultRule MissingTaskId() => new() { Kind = FaultKind.MissingTaskId };
    public static FaultRule RepeatedTaskId() => new() { Kind = FaultKind.RepeatedTaskId };
    public static FaultRule StallAfterHeaders() => new() { Kind = FaultKind.StallAfterHeaders };

    public FaultRule ForTarget(FaultTarget target, string? route = null) => this with { Target = target, Route = route };
    public FaultRule WithRate(double rate) => this with { Rate = rate };
    public FaultRule OnFirst(int count) => this with { FirstN = count };
    public FaultRule OnEveryNth(int n) => this with { EveryNth = n };
    public FaultRule AtMost(int times) => this with { Times = times };
    public FaultRule WithRetryAfter(int seconds, bool asHttpDate = false) =>
        this with { RetryAfterSeconds = seconds, RetryAfterAsDate = asHttpDate };
    /// <summary>BadTaskField: spoil only this task (by task_id or external_task_id).</summary>
    public FaultRule ForTask(string? taskId = null, string? externalTaskId = null) =>
        this with { TaskId = taskId, ExternalTaskId = externalTaskId };

    /// <summary>Throws when the rule could never behave as written (caught by the admin surface as a 400).</summary>
    internal void Validate()
    {
        if (!Enum.IsDefined(Target) || !Enum.IsDefined(Kind)) throw new ArgumentException("unknown target or kind");
        if (Route is not null && !Routes.IsKnown(Route)) throw new ArgumentException($"unknown route '{Route}'");
        if (Rate is < 0 or > 1) throw new ArgumentException("rate must be between 0 and 1");
        if (FirstN < 1 || EveryNth < 1 || Times < 1) throw new ArgumentException("firstN, everyNth and times must be at least 1");
        if (Kind == FaultKind.Status && StatusCode is < 100 or > 599) throw new ArgumentException("statusCode must be 100..599");
        if (DelayMs < 0 || RetryAfterSeconds < 0) throw new ArgumentException("delayMs and retryAfterSeconds cannot be negative");
        if (Target != FaultTarget.Any && !Fits(Kind, Target)) throw new ArgumentException($"{Kind} does not apply to {Target} requests");
        if (RangeStart < 0 || SizeBytes < 1) throw new ArgumentException("rangeStart cannot be negative and sizeBytes must be at least 1");
        if (Kind == FaultKind.BadTaskField) TaskFieldFault.CheckPath(Field);
    }

    /// <summary>Kinds that make sense only for some requests; with target Any they skip the others without counting them.</summary>
    internal static bool Fits(FaultKind kind, FaultTarget target) => kind switch
    {
        FaultKind.WrongContentRange or FaultKind.GzipVideo => target == FaultTarget.Download,
        FaultKind.OversizedAnswer => target != FaultTarget.Download,
        FaultKind.BadTaskField => target is FaultTarget.Query or FaultTarget.List,
        FaultKind.MissingTaskId or FaultKind.RepeatedTaskId => target == FaultTarget.Create,
        _ => true,
    };

    internal bool Targets(FaultTarget target, string? route) =>
        (Target == FaultTarget.Any || Target == target) && (Route is null || Route == route) && Fits(Kind, target);

    /// <summary>BadTaskField: whether the answer about these tasks holds the task this rule spoils.</summary>
    internal bool SelectsAny(IEnumerable<EmulatedTask> tasks) =>
        TaskId is null && ExternalTaskId is null ? tasks.Any() : tasks.Any(t => t.TaskId == TaskId || (ExternalTaskId is not null && t.ExternalTaskId == ExternalTaskId));

    internal bool Fires(int seen, int applied, SeededRandom random) =>
        (Times is null || applied < Times)
        && (FirstN is null || seen <= FirstN)
        && (EveryNth is null || seen % EveryNth == 0)
        && (Rate is null || random.NextDouble() < Rate);

    /// <summary>The answer that replaces the real one, or null when the request is still handled.</summary>
    internal ApiAnswer? ReplacementAnswer() => Kind switch
    {
        FaultKind.Status => (KlingCode is { } code
            ? Answers.Kling(StatusCode, code, Message ?? KlingMessages.For(code))
            : Answers.Gateway(StatusCode, Message ?? GatewayMessage(StatusCode), GatewayCode)) with { RetryAfter = RetryAfterHeader() },
        FaultKind.MalformedJson => Answers.TruncatedJson(),
        FaultKind.Html => Answers.Website(),
        FaultKind.Redirect => Answers.Redirect(Location),
        _ => null,
    };

    internal string Describe() => Kind switch
    {
        FaultKind.Status => KlingCode is { } code ? $"Status {StatusCode}/{code}" : $"Status {StatusCode}",
        FaultKind.Delay => $"Delay {DelayMs}ms",
        FaultKind.Redirect => $"Redirect {Location}",
        FaultKind.WrongContentRange => $"WrongContentRange from {RangeStart}",
        FaultKind.GzipVideo => $"GzipVideo {EffectiveSizeBytes}",
        FaultKind.OversizedAnswer => $"OversizedAnswer {EffectiveSizeBytes}{(Gzip ? " gzip" : "")}",
        FaultKind.BadTaskField => $"BadTaskField {Field}={EffectiveValue.GetRawText()}",
        _ => Kind.ToString(),
    };

    private string? RetryAfterHeader() => RetryAfterSeconds switch
    {
        null => null,
        int seconds when RetryAfterAsDate => DateTimeOffset.UtcNow.AddSeconds(seconds).ToString("R"),
        int seconds => seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    // Wording modelled on the one-api/new-api gateway that CometAPI's errors resemble.
    private static string GatewayMessage(int status) => status switch
    {
        401 => "Invalid token",
        403 => "access denied",
        429 => "upstream load is saturated, please try again later",
        500 => "internal server error",
        502 => "bad response status code 502",
        503 => "no available channel for group default and model kling-video (distributor)",
        504 => "upstream request timed out",
        524 => "a timeout occurred",
        _ => $"bad response status code {status}",
    };
}
