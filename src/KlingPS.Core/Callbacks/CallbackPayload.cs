using System;
using System.Text.Json;
using KlingPS.Core.Client;
using KlingPS.Core.Models;
using KlingPS.Core.Wire;

namespace KlingPS.Core.Callbacks
{
    /// <summary>
    /// Reads the task a callback posts: the task object exactly as a query's data holds it (the API README, "Callbacks"), with
    /// the same tolerance for its shapes (ids as text or numbers, task_result empty or missing while the task runs).
    /// </summary>
    internal static class CallbackPayload
    {
        /// <summary>The task as posted, on <paramref name="route"/> (a callback does not say which endpoint created its task).</summary>
        /// <exception cref="Validation.KlingValidationException">The body is not a JSON object, or has no task_id.</exception>
        public static KlingTask Read(string body, KlingRoute route)
        {
            if (string.IsNullOrWhiteSpace(body)) throw CallbackErrors.BodyInvalid(body, CallbackMessages.BodyEmpty);
            TaskData? data;
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    throw CallbackErrors.BodyInvalid(body, CallbackMessages.BodyNotAnObject(document.RootElement.ValueKind.ToString()));
                data = document.RootElement.Deserialize(KlingJson.Context.TaskData);
            }
            catch (JsonException e)
            {
                // PowerShell 7.1 runbooks get $WebhookData as text that only looks like JSON: say so rather than where it broke.
                throw CallbackErrors.BodyInvalid(body, body.TrimStart().StartsWith("{WebhookName:", StringComparison.Ordinal)
                    ? CallbackMessages.BrokenWebhookData : CallbackMessages.BodyNotJson(e.Message));
            }
            var task = TaskMapper.ToTask(data!, route, null, null);
            if (string.IsNullOrWhiteSpace(task.TaskId)) throw CallbackErrors.TaskIdMissing(body);
            return task;
        }
    }
}
