using System;
using System.Collections.Generic;
using System.Text.Json;

namespace KlingPS.Core.Callbacks
{
    /// <summary>
    /// What a callback endpoint received: the body exactly as it was posted (a signature covers those very characters) and
    /// the request's headers, looked up whatever their case (HTTP header names are case-insensitive).
    /// </summary>
    internal sealed class CallbackRequest
    {
        private const string WebhookDataBody = "RequestBody";
        private const string WebhookDataHeaders = "RequestHeader";

        private readonly Dictionary<string, string> _headers;

        private CallbackRequest(string body, Dictionary<string, string> headers, bool fromWebhookDataText)
        {
            Body = body;
            _headers = headers;
            FromWebhookDataText = fromWebhookDataText;
        }

        /// <summary>The body as posted.</summary>
        public string Body { get; }

        /// <summary>True when the text given was Azure Automation's WebhookData written as JSON, and this callback was read from it.</summary>
        public bool FromWebhookDataText { get; }

        /// <summary>A header's value, or null when the request had none.</summary>
        public string? Header(string name) => _headers.TryGetValue(name, out var value) ? value : null;

        /// <summary>
        /// A callback from its body and headers. A body that is itself Azure Automation's WebhookData as JSON text
        /// (<c>{"WebhookName", "RequestBody", "RequestHeader"}</c>: how PowerShell 7 runbooks may receive it) is opened: its
        /// RequestBody is the body, and its RequestHeader the headers when none were given.
        /// </summary>
        public static CallbackRequest Of(string? body, IEnumerable<KeyValuePair<string, string>>? headers)
        {
            var given = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in headers ?? Array.Empty<KeyValuePair<string, string>>()) given[header.Key] = header.Value;
            var text = body ?? string.Empty;
            if (!TryOpenWebhookData(text, out var inner, out var innerHeaders)) return new CallbackRequest(text, given, false);
            if (given.Count == 0)
            {
                foreach (var header in innerHeaders) given[header.Key] = header.Value;
            }
            return new CallbackRequest(inner, given, true);
        }

        private static bool TryOpenWebhookData(string text, out string body, out List<KeyValuePair<string, string>> headers)
        {
            body = string.Empty;
            headers = new List<KeyValuePair<string, string>>();
            // Cheap test first: a task body never names RequestBody, and most bodies are tasks.
            if (text.IndexOf(WebhookDataBody, StringComparison.Ordinal) < 0) return false;
            try
            {
                using var document = JsonDocument.Parse(text);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("task_id", out _)
                    || !root.TryGetProperty(WebhookDataBody, out var inner) || inner.ValueKind != JsonValueKind.String) return false;
                body = inner.GetString() ?? string.Empty;
                if (root.TryGetProperty(WebhookDataHeaders, out var names) && names.ValueKind == JsonValueKind.Object)
                {
                    foreach (var header in names.EnumerateObject())
                    {
                        var value = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString() ?? string.Empty : header.Value.GetRawText();
                        headers.Add(new KeyValuePair<string, string>(header.Name, value));
                    }
                }
                return true;
            }
            catch (JsonException)
            {
                return false; // not JSON at all: reading the body as a task says so
            }
        }
    }
}
