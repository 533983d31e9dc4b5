using System.Collections.Generic;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;

namespace KlingPS.Infrastructure
{
    /// <summary>
    /// The messages only the cmdlets give, and the advice they add to the core's errors: these name commands and parameters,
    /// which the core never does.
    /// </summary>
    internal static class Messages
    {
        public const string NoApiKey =
            "No CometAPI key: run Connect-Kling -ApiKey (Read-Host -AsSecureString), pass -ApiKey to the command, or set the COMETAPI_KEY environment variable.";

        public static string NothingToSave(KlingTask task) =>
            $"Task {task.TaskId} is {task.Status} and has no video to save{(task.Status == KlingTaskStatus.Succeeded ? "" : "; wait for it first with Wait-KlingTask")}.";

        public static string XYMismatch(int x, int y) => $"-X has {x} values and -Y has {y}; each point needs both.";

        public const string PointNeedsXY = "Each trajectory point needs an X and a Y, for example @{X=100; Y=200}.";

        /// <summary>What to do about a failure, in the cmdlets' words (ErrorDetails.RecommendedAction); null when there is nothing to add.</summary>
        public static string? RecommendedAction(KlingApiException e)
        {
            var advice = new List<string>();
            if (e.Kind == KlingErrorKind.FileExists) advice.Add("Use -Force to replace it.");
            if (e.Kind == KlingErrorKind.JournalInvalid) advice.Add("Give -JournalPath this batch's own journal, or a new file name (the journal is created there).");
            if (e.Kind == KlingErrorKind.VideoTooLarge) advice.Add("If the video is meant to be that large, raise the limit with Save-KlingVideo -MaximumVideoSizeMB.");
            if (e.Kind == KlingErrorKind.JournalLocked) advice.Add("Run the command again once the other one is done: nothing recorded is submitted or saved twice.");
            if (e.ExternalTaskId != null)
                advice.Add($"Look for the task with Get-KlingTask -ExternalTaskId {e.ExternalTaskId} before submitting it again.");
            if (e.Kind == KlingErrorKind.Timeout && e.Task != null)
                advice.Add($"Wait for it again with Get-KlingTask -TaskId {e.Task.TaskId}{RouteParameter(e.Task.Route)} | Wait-KlingTask.");
            if (e.RequestId != null) advice.Add($"Quote request id {e.RequestId} to CometAPI support.");
            return advice.Count == 0 ? null : string.Join(" ", advice);
        }

        /// <summary>Get-KlingTask's -Route, where it is not the default.</summary>
        private static string RouteParameter(KlingRoute route) => route == KlingRoute.ImageToVideo ? "" : " -Route " + route;
    }
}
