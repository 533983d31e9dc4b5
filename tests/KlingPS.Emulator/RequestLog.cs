using System.Collections.Concurrent;

namespace KlingPS.Emulator;

/// <summary>
/// One request as the emulator saw it. Body is the request body (null when empty; cut at
/// <see cref="RequestLog.MaxBodyChars"/>); BodyBytes is its whole size as received, uncut, so benchmarks can count
/// what clients upload. Status 0 means the connection was dropped without an answer.
/// Query keeps its leading "?". Fault describes the injected fault, if any.
/// </summary>
public sealed record RequestLogEntry(
    DateTimeOffset Time, string Method, string Path, string Query, int Status,
    string? Body, bool HadAuthorization, string? Fault, long BodyBytes);

/// <summary>Every non-admin request, in arrival order of answers. Thread-safe.</summary>
public sealed class RequestLog
{
    /// <summary>Bodies are cut here so benchmarks sending many large Base64 images do not exhaust memory.</summary>
    public const int MaxBodyChars = 1 << 20;

    private readonly List<RequestLogEntry> entries = [];

    // Never cleared: stats describe the whole run, while tests clear the log between steps.
    private readonly ConcurrentDictionary<string, int> requestsByKind = new(
        new[] { "create", "query", "list", "download", "other" }.Select(kind => KeyValuePair.Create(kind, 0)));
    private int faultsInjected;

    public IReadOnlyList<RequestLogEntry> Entries { get { lock (entries) return [.. entries]; } }

    public int Count(string method, string pathPrefix)
    {
        lock (entries)
        {
            return entries.Count(e => string.Equals(e.Method, method, StringComparison.OrdinalIgnoreCase)
                && e.Path.StartsWith(pathPrefix, StringComparison.Ordinal));
        }
    }

    public void Clear() { lock (entries) entries.Clear(); }

    internal IReadOnlyDictionary<string, int> RequestsByKind => new SortedDictionary<string, int>(requestsByKind);
    internal int FaultsInjected => Volatile.Read(ref faultsInjected);

    /// <param name="bodyBytes">The body's size in bytes as received (0 for requests whose body is not read).</param>
    internal void Add(string kind, HttpContext context, DateTimeOffset arrived, int status, string? body, long bodyBytes, FaultRule? fault)
    {
        if (body is { Length: > MaxBodyChars }) body = body[..MaxBodyChars];
        var request = context.Request;
        var entry = new RequestLogEntry(arrived, request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "",
            status, body, request.Headers.Authorization.Count > 0, fault?.Describe(), bodyBytes);
        requestsByKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
        if (fault is not null) Interlocked.Increment(ref faultsInjected);
        lock (entries) entries.Add(entry);
    }
}
