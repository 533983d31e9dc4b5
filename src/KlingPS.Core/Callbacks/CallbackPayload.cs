using System;
using System.Text.Json;
using KlingPS.Core.Client;
using KlingPS.Core.Models;

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
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException e)
            {
                // PowerShell 7.1 runbooks get $WebhookData as text that only looks like JSON: say so rather than where it broke.
                throw CallbackErrors.BodyInvalid(body, body.TrimStart().StartsWith("{WebhookName:", StringComparison.Ordinal)
                    ? CallbackMessages.BrokenWebhookData : CallbackMessages.BodyNotJson(e.Message));
            }
            KlingTask task;
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    throw CallbackErrors.BodyInvalid(body, CallbackMessages.BodyNotAnObject(document.RootElement.ValueKind.ToString()));
                try
                {
                    task = TaskMapper.ToTask(document.RootElement, route, null);
                }
                catch (TaskFieldException e) when (e.Field == "task_id")
                {
                    throw CallbackErrors.TaskIdMissing(body);
                }
                catch (TaskFieldException e)
                {
                    throw CallbackErrors.BodyInvalid(body, CallbackMessages.BodyNotJson(e.Message));
                }
            }
            return task;
        }
    }
}
