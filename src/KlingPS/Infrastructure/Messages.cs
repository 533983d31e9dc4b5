using System.Collections.Generic;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;
using KlingPS.Core.Validation;

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

        public static string FixApiKey(string source) =>
            $"Give the key again as the one line CometAPI shows, without line breaks or other control characters. This one came from: {source}.";

        public static string NothingToSave(KlingTask task) =>
            $"Task {task.TaskId} is {task.Status} and has no video to save{(task.Status == KlingTaskStatus.Succeeded ? "" : "; wait for it first with Wait-KlingTask")}.";

        public const string PathTakesText =
            "-Path takes paths as text (wildcards allowed). Pipe files and Import-Csv rows in instead: they bind by their properties (a file by its literal path).";

        public static string NoMatch(string pattern) => $"No file matches {pattern}.";

        public static string XYMismatch(int x, int y) => $"-X has {x} values and -Y has {y}; each point needs both.";

        public const string PointNeedsXY = "Each trajectory point needs an X and a Y, for example @{X=100; Y=200}.";

        public static string HeadersNotAnObject(System.Type type) =>
            $"-RequestHeader is a {type.Name}: give a hashtable, or an object with one property per header (as $WebhookData.RequestHeader is).";

        public const string SkipKeyCheck =
            "Check -BaseUri, the network and the proxy; to connect without asking the service (offline, or before the network is up), add -SkipKeyCheck.";

        /// <summary>What to do about a failure, in the cmdlets' words (ErrorDetails.RecommendedAction); null when there is nothing to add.</summary>
        public static string? RecommendedAction(KlingApiException e)
        {
            var advice = new List<string>();
            if (e.Kind == KlingErrorKind.Authentication)
                advice.Add("Check the key: Get-KlingContext shows its last four characters and where it came from (-ApiKey, Connect-Kling, or the COMETAPI_KEY environment variable). In Azure Automation the key is the password of the credential, not its user name.");
            if (e.Kind == KlingErrorKind.Account)
                advice.Add("The CometAPI account cannot pay for tasks (arrears, or no resource pack left): top it up; trying again will not help.");
            if (e is KlingValidationException { ErrorId: ValidationErrorIds.CallbackSignatureInvalid })
                advice.Add("Check that -WebhookSecret is the secret the callbacks are signed with: whsec_ and Base64 as the sender shows it, or its plain text.");
            if (e is KlingValidationException { ErrorId: ValidationErrorIds.CallbackBodyInvalid, Item: string body } && IsObjectAsText(body))
                advice.Add("The body is a PowerShell object turned into text: pipe an object whose RequestBody property holds the body ([pscustomobject], as $WebhookData is; the keys of a hashtable do not bind by name), or pass -Body $WebhookData.RequestBody.");
            if (e.Cause == FailureCause.AnswerTooLarge)
                advice.Add("The service's own answers are far smaller: check -BaseUri and any proxy between here and the service (Connect-Kling -Proxy).");
            if (e.Kind == KlingErrorKind.FileExists) advice.Add("Use -Force to replace it.");
            if (e.Kind == KlingErrorKind.JournalInvalid) advice.Add("Give -JournalPath this batch's own journal, or a new file name (the journal is created there).");
            if (e.Kind == KlingErrorKind.VideoTooLarge) advice.Add("If the video is meant to be that large, raise the limit with Save-KlingVideo -MaximumVideoSizeMB.");
            if (e.Kind == KlingErrorKind.JournalLocked) advice.Add("Run the command again once the other one is done: nothing recorded is submitted or saved twice.");
            if (e.ExternalTaskId != null)
                advice.Add($"Look for the task with Get-KlingTask -ExternalTaskId {e.ExternalTaskId} before submitting it again.");
            if (e.Kind == KlingErrorKind.WaitTimedOut && e.Task != null)
                advice.Add($"Wait for it again with Get-KlingTask -TaskId {e.Task.TaskId}{RouteParameter(e.Task.Route)} | Wait-KlingTask.");
            if (e.RequestId != null) advice.Add($"Quote request id {e.RequestId} to CometAPI support.");
            return advice.Count == 0 ? null : string.Join(" ", advice);
        }

        /// <summary>What PowerShell makes of an object given where text is wanted: "@{Name=value}", or a type name.</summary>
        private static bool IsObjectAsText(string text) =>
            text.StartsWith("@{", System.StringComparison.Ordinal) || text.StartsWith("System.", System.StringComparison.Ordinal);

        /// <summary>Get-KlingTask's -Route, where it is not the default.</summary>
        private static string RouteParameter(KlingRoute route) => route == KlingRoute.ImageToVideo ? "" : " -Route " + route;
    }
}
