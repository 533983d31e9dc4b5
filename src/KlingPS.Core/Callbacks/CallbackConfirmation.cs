using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KlingPS.Core.Client;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;

namespace KlingPS.Core.Callbacks
{
    /// <summary>
    /// A callback endpoint is public: anyone who knows its address may post a task to it. So the task is queried with the
    /// connection's key, and the service's answer replaces the posted one (status, video URLs): a forged or stale callback can
    /// make the caller ask the service about a task, never download what the service did not confirm.
    /// </summary>
    internal static class CallbackConfirmation
    {
        /// <summary>Tried in this order when the caller names no route: a callback does not say which endpoint created its task.</summary>
        private static readonly KlingRoute[] AllRoutes = { KlingRoute.ImageToVideo, KlingRoute.MultiImageToVideo };

        /// <summary>The service's answer for the posted task: one query per route tried, until one knows it.</summary>
        /// <exception cref="KlingApiException">NotFound when no route tried has a task with the posted id; any failure of a query.</exception>
        public static async Task<KlingTask> ConfirmAsync(KlingClient client, KlingTask posted, KlingRoute? route, KlingCallOptions call, CancellationToken ct)
        {
            var routes = route.HasValue ? new[] { route.Value } : AllRoutes;
            KlingApiException? notFound = null;
            foreach (var candidate in routes)
            {
                try
                {
                    var answer = await client.GetTaskAsync(candidate, posted.TaskId, call, ct).ConfigureAwait(false);
                    // A query's path takes an external id as well: an answer about another task confirms nothing.
                    if (answer.TaskId == posted.TaskId)
                    {
                        call.Say(CallbackMessages.Confirmed(answer, Differences(posted, answer)));
                        return answer;
                    }
                    call.Say(CallbackMessages.IdIsAnExternalId(posted.TaskId, candidate, answer.TaskId));
                }
                catch (KlingApiException e) when (e.Kind == KlingErrorKind.NotFound)
                {
                    notFound = e;
                    call.Say(CallbackMessages.NotOnRoute(posted.TaskId, candidate));
                }
            }
            throw new KlingApiException(KlingErrorKind.NotFound, CallbackMessages.UnknownTask(posted.TaskId, routes), notFound)
            {
                StatusCode = notFound?.StatusCode,
                KlingCode = notFound?.KlingCode,
                ServiceMessage = notFound?.ServiceMessage,
                Target = posted.TaskId,
            };
        }

        /// <summary>What the service says otherwise than the callback did, in a few words (empty when they agree; what was not posted is no difference).</summary>
        private static List<string> Differences(KlingTask posted, KlingTask answer)
        {
            var differences = new List<string>();
            if (posted.Status != answer.Status) differences.Add($"status {posted.Status} posted, {answer.Status} now");
            if (posted.Videos.Count > 0 && !posted.Videos.Select(v => v.Url).SequenceEqual(answer.Videos.Select(v => v.Url))) differences.Add("other video URLs posted");
            if (posted.ExternalTaskId != null && posted.ExternalTaskId != answer.ExternalTaskId) differences.Add($"external id '{posted.ExternalTaskId}' posted, '{answer.ExternalTaskId}' known");
            return differences;
        }
    }
}
