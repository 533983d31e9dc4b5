using System;
using System.Collections.Generic;
using System.Linq;
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

        public static string ApiKeyControlCharacter(char c) =>
            $"The API key contains a control character (U+{(int)c:X4}{(c == '\r' ? ", a carriage return" : c == '\n' ? ", a line feed" : c == '\t' ? ", a tab" : "")}), which no key has; nothing was sent with it.";

        public static string InsecureBaseUri(Uri uri) =>
            $"The base URI {uri} uses plain HTTP: the key would travel unencrypted. Use https, or http only for a loopback address (127.0.0.1, localhost) such as the emulator.";

        public static string NotAbsoluteBaseUri(string value) => $"The base URI '{value}' is not an absolute http(s) URI.";

        public static string HtmlAnswer(string target, int status, Uri baseUri) =>
            $"{target}: the service answered with an HTML page (HTTP {status}), not JSON: check the base URI ({baseUri}).";

        public static string RedirectAnswer(string target, int status, Uri? location, Uri baseUri) =>
            $"{target}: the service answered with a redirect (HTTP {status}{(location == null ? "" : " to " + location)}), not JSON: check the base URI ({baseUri}).";

        public static string MalformedJson(string target, int status, string detail) =>
            $"{target}: the service's answer (HTTP {status}) is not valid JSON: {detail}";

        public static string AnswerTooLarge(string target, int status, int maximumBytes) =>
            $"{target}: the service's answer (HTTP {status}) goes on past {maximumBytes >> 20} MiB, far more than any answer of the API; reading stopped there.";

        public static string BadTaskField(string target, string? taskId, string field, string problem) =>
            $"{target}: the service's answer has a malformed {field}{(taskId == null ? "" : " for task " + taskId)}: {problem}.";

        public static string MissingTaskId(string target, string externalId) =>
            $"{target}: the service answered success without a task id; the task may exist under external id {externalId}.";

        public static string RepeatedTaskId(string target, string taskId, string otherExternalId, string externalId) =>
            $"{target}: the service answered with task {taskId}, which it had already given to external id {otherExternalId}; this submission's own task may exist under external id {externalId}.";

        public static string NoData(string target) => $"{target}: the service answered success but without data.";

        public static string ServiceError(string target, int status, string? code, string? message, string? requestId) =>
            $"{target}: the service refused the request (HTTP {status}{(string.IsNullOrEmpty(code) ? "" : ", code " + code)}): {(string.IsNullOrEmpty(message) ? "no message" : message)}{(string.IsNullOrEmpty(requestId) ? "" : " [request id " + requestId + "]")}";

        public static string Timeout(string target, TimeSpan timeout) =>
            $"{target}: no answer within {timeout.TotalSeconds:0.#} s.";

        public static string NetworkError(string target, string detail) => $"{target}: the connection failed: {detail}";

        /// <summary>A retry, for -Verbose: the failure's message already names the request when it comes from this module.</summary>
        public static string Retrying(string target, string reason, int attempt, int max, TimeSpan delay) =>
            $"{(reason.StartsWith(target + ": ", StringComparison.Ordinal) ? reason : target + ": " + reason).TrimEnd('.')}; retry {attempt} of {max} in {delay.TotalSeconds:0.0} s.";

        public static string WaitingForSlot(string target) =>
            $"{target}: the account's concurrent-task limit is reached (1303); waiting for one of its tasks to end.";

        public static string HeldForSlot(string target, int limit) =>
            $"{target}: waiting for a slot before uploading: the account allowed this session {limit} task(s) at once (1303), and that many are running.";

        public static string CheckingExternalId(string target, string externalId) =>
            $"{target}: the outcome of the last attempt is unknown; looking up external id {externalId} before sending again.";

        public static string LookingUpFirst(string target, string externalId) =>
            $"{target}: a task with external id {externalId} may exist already; looking it up before sending.";

        public static string FoundExisting(string target, string taskId, string externalId) =>
            $"{target}: the service already has task {taskId} for external id {externalId}; using it instead of creating another.";

        public static string OutcomeStillUnknown(string last, string externalId) =>
            $"{last} The task may still exist under external id {externalId}.";

        public static string TaskFailed(KlingTask task) =>
            $"Task {task.TaskId}{(task.Source == null ? "" : " (" + task.Source + ")")} failed: {(string.IsNullOrEmpty(task.StatusMessage) ? "the service gave no reason" : task.StatusMessage)}";

        public static string FileChanged(string path, long expected, long actual) =>
            $"{path} changed while it was being sent ({expected} bytes when checked, {actual} bytes now).";

        public static string FileExists(string path) => $"{path} already exists.";

        public static string Saved(KlingVideo video, string path, long length) => $"Saved video {video.Id} of task {video.TaskId} to {path} ({length} bytes).";

        public static string AlreadySaved(KlingVideo video, string path) => $"{path} is video {video.Id} of task {video.TaskId}, saved whole before; skipping it.";

        public static string NameTaken(string path, string ownerTaskId, string taskId, string otherPath) =>
            $"{path} is the video of task {ownerTaskId}; the video of task {taskId} is saved as {otherPath} instead.";

        public static string DownloadTarget(Uri url) => "Download " + url.GetLeftPart(UriPartial.Path);

        public static string DownloadFailed(string target, int status) => $"{target}: the server answered HTTP {status}.";

        public static string NotAVideo(string target, int status, string mediaType) =>
            $"{target}: the server answered HTTP {status} with {mediaType}, not a video.";

        public static string WrongRange(string target, long asked, long? from) =>
            $"{target}: asked to resume from byte {asked}, the server sent {(from.HasValue ? "bytes from " + from.Value : "a range without a start")}; starting over.";

        public static string EncodedVideo(string target, string encoding) =>
            $"{target}: the server sent the video {encoding}-encoded; a video is saved only as the bytes it is, and this one was not saved.";

        public static string VideoTooLarge(string target, long limit, long? announced) =>
            $"{target}: the video is larger than the {limit / (1024 * 1024)} MB limit" +
            (announced.HasValue ? $" ({announced.Value} bytes announced); nothing was downloaded." : "; the download was stopped there and nothing was kept.");

        public static string DownloadIncomplete(string target, long got, long expected) =>
            $"{target}: the transfer stopped after {got} of {expected} bytes.";

        public static string WaitTimedOut(KlingTask task) =>
            $"Task {task.TaskId}{(task.Source == null ? "" : " (" + task.Source + ")")} was still {task.Status} when the wait timed out.";

        public static string ExternalIdUsedBefore(string journal, string externalId, IEnumerable<string> sources, IEnumerable<string> otherSources) =>
            $"External id {externalId} ({Names(sources)}) was used before in journal {journal} for another request ({Names(otherSources)}): " +
            "if the service has a task with it, that task is the one given back, and nothing new is created.";

        /// <summary>The file names of sources (paths or URLs), for messages.</summary>
        private static string Names(IEnumerable<string> sources)
        {
            var names = string.Join(", ", sources.Select(s => s.Substring(Math.Max(s.LastIndexOf('/'), s.LastIndexOf('\\')) + 1)));
            return names.Length == 0 ? "no image file" : names;
        }

        public static string NotSent(string item, string reason) =>
            $"{item} was not sent: an earlier request of this batch failed with an error every request would get. {reason}";

        public static string NotAJournal(string path) =>
            $"{path} is not a KlingPS batch journal (it does not start with a journal header); it was left unchanged.";

        public static string JournalOfFirstFormat(string path) =>
            $"{path} is a journal of KlingPS 0.1.0, whose format this version does not read; it was left unchanged.";

        public static string JournalFormatUnknown(string path, int format) =>
            $"{path} is a KlingPS journal of format {format}, which this version does not read; it was left unchanged.";

        public static string JournalLocked(string path, TimeSpan waited) =>
            $"{path}: the journal stayed in use by another process or command for {waited.TotalSeconds:0.#} s; nothing was recorded.";

        public static string LocalFileFailed(string path, string detail) => $"{path}: {detail}";
    }
}
