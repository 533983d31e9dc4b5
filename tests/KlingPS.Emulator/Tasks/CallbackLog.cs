namespace KlingPS.Emulator;

/// <summary>
/// One attempt to deliver a callback, as sent. Headers are the request's own (Content-Type and, when a
/// secret is set, webhook-id/-timestamp/-signature). MessageId is the same for every attempt and copy
/// of one message (one status change). Copy is 2 for the duplicate delivery. Status 0 means no HTTP
/// answer (refused, timed out; Error says which).
/// </summary>
public sealed record CallbackDelivery(
    DateTimeOffset Time, string Url, string MessageId, int Copy, int Attempt,
    IReadOnlyDictionary<string, string> Headers, string Body, int Status, string? Error);

/// <summary>Every callback delivery attempt, in the order they ended. Thread-safe.</summary>
public sealed class CallbackLog
{
    private readonly List<CallbackDelivery> entries = [];

    public IReadOnlyList<CallbackDelivery> Entries { get { lock (entries) return [.. entries]; } }

    public void Clear() { lock (entries) entries.Clear(); }

    internal void Add(CallbackDelivery delivery) { lock (entries) entries.Add(delivery); }
}
