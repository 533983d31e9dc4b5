using System.Collections;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KlingPS.Tests.Emulation;

namespace KlingPS.Tests.Cmdlets;

/// <summary>
/// A callback as a webhook runbook gets it: scripts declare <see cref="Param"/> and start with <see cref="MakeWebhookData"/>,
/// which builds $WebhookData the way Azure Automation passes it (RequestBody the body as text, RequestHeader a PSCustomObject
/// with one property per header). Also forges callbacks, and signs them the Standard Webhooks way with this file's own HMAC.
/// </summary>
internal static class WebhookRunbook
{
    public const string Param = "param($Body, $Headers, $Secret, $Clips, $Journal)";

    public const string MakeWebhookData =
        "$WebhookData = [pscustomobject]@{ WebhookName = 'kling-callbacks'; RequestBody = $Body; RequestHeader = [pscustomobject]$Headers }";

    /// <summary>The webhook runbook of README.md's "Event-driven runbooks": the confirmed task, saved once it has succeeded.</summary>
    public const string SaveSucceeded = Param + "\n" + MakeWebhookData + """

        $task = $WebhookData | ConvertFrom-KlingCallback -WebhookSecret (ConvertTo-SecureString $Secret -AsPlainText -Force)
        if ($task.Status -eq 'Succeeded') { $task | Save-KlingVideo -Path $Clips -JournalPath $Journal }
        """;

    public static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)(i * 5)).ToArray();

    /// <summary>The secret the emulator signs with in these tests: <see cref="Key"/> in the Standard Webhooks form.</summary>
    public static readonly string Secret = "whsec_" + Convert.ToBase64String(Key);

    public static Dictionary<string, object?> Parameters(string body, IReadOnlyDictionary<string, string> headers, string? clips = null, string? journal = null) => new()
    {
        ["Body"] = body,
        ["Headers"] = new Hashtable(headers.ToDictionary(h => h.Key, h => h.Value)),
        ["Secret"] = Secret,
        ["Clips"] = clips,
        ["Journal"] = journal,
    };

    public static Dictionary<string, object?> Parameters(CallbackReceiver.Received callback, string? clips = null, string? journal = null) =>
        Parameters(callback.Body, callback.Headers, clips, journal);

    /// <summary>The status a callback posts.</summary>
    public static string? Status(CallbackReceiver.Received callback) => JsonNode.Parse(callback.Body)!["task_status"]!.GetValue<string>();

    /// <summary>A callback's body with one field changed (<paramref name="change"/> edits the parsed body).</summary>
    public static string Forge(string body, Action<JsonObject> change)
    {
        var json = JsonNode.Parse(body)!.AsObject();
        change(json);
        return json.ToJsonString();
    }

    /// <summary>The callback's headers with the webhook-* ones removed.</summary>
    public static Dictionary<string, string> Unsigned(IReadOnlyDictionary<string, string> headers) =>
        headers.Where(h => !h.Key.StartsWith("webhook-", StringComparison.OrdinalIgnoreCase)).ToDictionary(h => h.Key, h => h.Value);

    /// <summary>The headers of a callback signed with <see cref="Key"/> at <paramref name="time"/>.</summary>
    public static Dictionary<string, string> SignedAt(IReadOnlyDictionary<string, string> headers, string body, DateTimeOffset time)
    {
        var signed = Unsigned(headers);
        var id = "msg_" + Guid.NewGuid().ToString("N");
        var timestamp = time.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        signed["webhook-id"] = id;
        signed["webhook-timestamp"] = timestamp;
        signed["webhook-signature"] = "v1," + Convert.ToBase64String(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        return signed;
    }
}
