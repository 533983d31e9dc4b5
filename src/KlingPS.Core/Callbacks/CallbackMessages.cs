using System;
using System.Collections.Generic;
using System.Linq;
using KlingPS.Core.Models;

namespace KlingPS.Core.Callbacks
{
    /// <summary>The messages and rule texts of reading callbacks (what happened, never which command to use).</summary>
    internal static class CallbackMessages
    {
        // Rules, as KlingValidationException.Rule states them.
        public const string RuleTask = "a callback body is a Kling task object: JSON with a task_id";
        public const string RuleSecret = "a webhook secret is whsec_ followed by Base64, or other text that is not empty";
        public const string RuleSigned = "a signed callback carries webhook-id, webhook-timestamp and webhook-signature";
        public const string RuleSignature = "a callback carries a v1 signature of its body made with the webhook secret";
        public const string RuleRecent = "a callback was signed within 5 minutes of now";

        public const string BodyEmpty = "The callback body is empty.";

        public static string BodyNotAnObject(string kind) => $"The callback body is a JSON {kind.ToLowerInvariant()}, not a task object.";

        public static string BodyNotJson(string detail) => $"The callback body is not a Kling task object in JSON: {detail}";

        public const string BrokenWebhookData =
            "The callback body is Azure Automation's WebhookData as PowerShell 7.1 runbooks receive it: text that looks like JSON but is not, " +
            "from which the posted body cannot be read reliably. Runbooks on PowerShell 5.1, or 7.2 and later, receive it as an object.";

        public const string TaskIdMissing = "The callback body has no task_id: it does not describe a Kling task.";

        public const string SecretEmpty = "The webhook secret is empty.";

        public const string SecretNotBase64 = "The webhook secret starts with whsec_, but what follows is not the Base64 of a key.";

        public static string SignatureMissing(IReadOnlyList<string> headers) =>
            $"The callback is not signed: it has no {string.Join(", ", headers)} header{(headers.Count == 1 ? "" : "s")}.";

        public static string TimestampNotSeconds(string id, string value) => $"Callback {id}: webhook-timestamp '{value}' is not a time in Unix seconds.";

        public static string TimestampOutOfRange(string id, TimeSpan age) => age >= TimeSpan.Zero
            ? $"Callback {id} was signed {Seconds(age)} ago, more than the 5 minutes allowed: it may be a recorded callback sent again."
            : $"Callback {id} claims to be signed {Seconds(age)} from now, more than the 5 minutes allowed.";

        public static string NoSignatureMatches(string id, int count) =>
            $"Callback {id}: {(count == 1 ? "its signature does not" : "none of its " + count + " signatures")} match the body with the webhook secret: the body was changed, or signed with another secret.";

        public static string SignatureVerified(string id, TimeSpan age) => $"Callback {id}: signature verified (signed {Seconds(age)} ago).";

        public const string SignatureNotChecked = "No webhook secret: the callback's signature headers are not checked.";

        public const string OpenedWebhookData = "The text is Azure Automation's WebhookData as JSON: reading the callback from its RequestBody and RequestHeader.";

        public static string Posted(KlingTask task) =>
            $"The callback posts task {task.TaskId} as {task.Status}{(task.ExternalTaskId == null ? "" : " (external id " + task.ExternalTaskId + ")")}.";

        public static string NotConfirmed(KlingRoute route) => $"Not confirmed with the service: the task is written as posted, on route {route.PathSegment()}.";

        public static string Confirmed(KlingTask answer, IReadOnlyList<string> differences) =>
            $"The service confirms task {answer.TaskId} on {answer.Route.PathSegment()}: {answer.Status}" +
            (differences.Count == 0 ? "." : $"; its answer is used ({string.Join("; ", differences)}).");

        public static string IdIsAnExternalId(string id, KlingRoute route, string taskId) =>
            $"On {route.PathSegment()}, {id} is the external id of task {taskId}, not the id of a task: not the task posted.";

        public static string NotOnRoute(string id, KlingRoute route) => $"Task {id} is not on {route.PathSegment()}.";

        public static string UnknownTask(string id, IEnumerable<KlingRoute> routes) =>
            $"The service knows no task {id} (asked on {string.Join(" and ", routes.Select(r => r.PathSegment()))}): the callback may be forged, or come from another account.";

        private static string Seconds(TimeSpan span) => $"{Math.Abs(span.TotalSeconds):0} s";
    }
}
