using System;
using KlingPS.Core.Models;

namespace KlingPS.Core
{
    /// <summary>
    /// Every message the core shows a user, in one place. They say what happened, never which command or parameter to use
    /// (the module adds that advice); none of them may contain the API key.
    /// </summary>
    internal static class Messages
    {
        public const string EmptyApiKey = "The API key is empty.";

        public static string InsecureBaseUri(Uri uri) =>
            $"The base URI {uri} uses plain HTTP: the key would travel unencrypted. Use https, or http only for a loopback address (127.0.0.1, localhost) such as the emulator.";

        public static string NotAbsoluteBaseUri(string value) => $"The base URI '{value}' is not an absolute http(s) URI.";

        public static string HtmlAnswer(string target, int status, Uri baseUri) =>
            $"{target}: the service answered with an HTML page (HTTP {status}), not JSON: check the base URI ({baseUri}).";

        public static string RedirectAnswer(string target, int status, Uri? location, Uri baseUri) =>
            $"{target}: the service answered with a redirect (HTTP {status}{(location == null ? "" : " to " + location)}), not JSON: check the base URI ({baseUri}).";

        public static string MalformedJson(string target, int status, string detail) =>
            $"{target}: the service's answer (HTTP {status}) is not valid JSON: {detail}";

        public static string NoData(string target) => $"{target}: the service answered success but without data.";

        public static string ServiceError(string target, int status, string? code, string? message, string? requestId) =>
            $"{target}: the service refused the request (HTTP {status}{(string.IsNullOrEmpty(code) ? "" : ", code " + code)}): {(string.IsNullOrEmpty(message) ? "no message" : message)}{(string.IsNullOrEmpty(requestId) ? "" : " [request id " + requestId + "]")}";

        public static string Timeout(string target, TimeSpan timeout) =>
            $"{target}: no answer within {timeout.TotalSeconds:0.#} s.";

        public static string NetworkError(string target, string detail) => $"{target}: the connection failed: {detail}";

        public static string Retrying(string target, string reason, int attempt, int max, TimeSpan delay) =>
            $"{target}: {reason}; retry {attempt} of {max} in {delay.TotalSeconds:0.0} s.";

        public static string WaitingForSlot(string target) =>
            $"{target}: the account's concurrent-task limit is reached (1303); waiting for one of its tasks to end.";

        public static string HeldForSlot(string target, int limit) =>
            $"{target}: waiting for a slot before uploading: the account allowed this session {limit} task(s) at once (1303), and that many are running.";

        public static string CheckingExternalId(string target, string externalId) =>
            $"{target}: the outcome of the last attempt is unknown; looking up external id {externalId} before sending again.";

        public static string FoundExisting(string target, string taskId, string externalId) =>
            $"{target}: the service already has task {taskId} for external id {externalId}; using it instead of creating another.";

        public static string OutcomeStillUnknown(string last, string externalId) =>
            $"{last} The task may still exist under external id {externalId}.";

        public static string TaskFailed(KlingTask task) =>
            $"Task {task.TaskId}{(task.Source == null ? "" : " (" + task.Source + ")")} failed: {(string.IsNullOrEmpty(task.StatusMessage) ? "the service gave no reason" : task.StatusMessage)}";

        public static string FileChanged(string path, long expected, long actual) =>
            $"{path} changed while it was being sent ({expected} bytes when checked, {actual} bytes now).";

        public static string FileExists(string path) => $"{path} already exists.";

        public static string DownloadTarget(Uri url) => "Download " + url.GetLeftPart(UriPartial.Path);

        public static string DownloadFailed(string target, int status) => $"{target}: the server answered HTTP {status}.";

        public static string NotAVideo(string target, int status, string mediaType) =>
            $"{target}: the server answered HTTP {status} with {mediaType}, not a video.";

        public static string DownloadIncomplete(string target, long got, long expected) =>
            $"{target}: the transfer stopped after {got} of {expected} bytes.";

        public static string WaitTimedOut(KlingTask task) =>
            $"Task {task.TaskId}{(task.Source == null ? "" : " (" + task.Source + ")")} was still {task.Status} when the wait timed out.";
    }
}
