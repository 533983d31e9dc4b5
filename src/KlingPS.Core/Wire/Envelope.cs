using System.Text.Json;
using System.Text.Json.Serialization;

namespace KlingPS.Core.Wire
{
    /// <summary>Kling's envelope: {code, message, request_id, data}. Success is code == 0, never the message text.</summary>
    internal sealed class Envelope<T>
    {
        [JsonPropertyName("code")] public JsonElement Code { get; set; }
        [JsonPropertyName("message")] public string? Message { get; set; }
        [JsonPropertyName("request_id")] public string? RequestId { get; set; }
        [JsonPropertyName("data")] public T? Data { get; set; }
        /// <summary>CometAPI's gateway errors come as {"error": {...}} instead.</summary>
        [JsonPropertyName("error")] public GatewayError? Error { get; set; }
    }

    internal sealed class GatewayError
    {
        [JsonPropertyName("message")] public string? Message { get; set; }
        [JsonPropertyName("type")] public string? Type { get; set; }
        [JsonPropertyName("param")] public string? Param { get; set; }
        [JsonPropertyName("code")] public JsonElement Code { get; set; }
    }
}
