using System;
using System.IO;
using System.Management.Automation;
using KlingPS.Core.Errors;
using KlingPS.Core.Validation;

namespace KlingPS.Infrastructure
{
    /// <summary>
    /// Turns the core's exceptions into ErrorRecords: the error id and category come from what went wrong, and the
    /// recommended action from the module's advice (Messages.RecommendedAction), in the cmdlets' words.
    /// </summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(Exception e, object? target)
        {
            if (e is AggregateException a && a.InnerExceptions.Count == 1) e = a.InnerExceptions[0];
            if (e is KlingApiException k)
            {
                var id = k is KlingValidationException v ? v.ErrorId : IdOf(k);
                var record = new ErrorRecord(k, id, CategoryOf(k), target ?? k.Task);
                var action = Messages.RecommendedAction(k);
                if (action != null) record.ErrorDetails = new ErrorDetails(k.Message) { RecommendedAction = action };
                return record;
            }
            if (e is FileNotFoundException || e is DirectoryNotFoundException) return new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, target);
            if (e is UnauthorizedAccessException) return new ErrorRecord(e, "AccessDenied", ErrorCategory.PermissionDenied, target);
            if (e is IOException) return new ErrorRecord(e, "FileError", ErrorCategory.WriteError, target);
            if (e is ArgumentException) return new ErrorRecord(e, "InvalidArgument", ErrorCategory.InvalidArgument, target);
            return new ErrorRecord(e, "KlingError", ErrorCategory.NotSpecified, target);
        }

        private static string IdOf(KlingApiException e) => e.Kind switch
        {
            KlingErrorKind.TaskFailed => "TaskFailed",
            KlingErrorKind.WaitTimedOut => "WaitTimeout",
            KlingErrorKind.InvalidResponse when e.Cause != FailureCause.Unspecified => "Kling" + e.Cause,
            // Local failures are named for what happened on this machine, not after the service.
            KlingErrorKind.FileExists or KlingErrorKind.NoVideo or KlingErrorKind.JournalInvalid or KlingErrorKind.JournalLocked
                or KlingErrorKind.VideoTooLarge => e.Kind.ToString(),
            KlingErrorKind.LocalFile => "FileError",
            _ => "Kling" + e.Kind,
        };

        internal static ErrorCategory CategoryOf(KlingApiException e) => e.Kind switch
        {
            KlingErrorKind.Authentication => ErrorCategory.AuthenticationError,
            KlingErrorKind.Account => ErrorCategory.QuotaExceeded,
            KlingErrorKind.Permission => ErrorCategory.PermissionDenied,
            KlingErrorKind.InvalidRequest => ErrorCategory.InvalidArgument,
            KlingErrorKind.Policy => ErrorCategory.SecurityError,
            KlingErrorKind.NotFound => ErrorCategory.ObjectNotFound,
            KlingErrorKind.RateLimited => ErrorCategory.LimitsExceeded,
            KlingErrorKind.ConcurrencyLimit => ErrorCategory.LimitsExceeded,
            KlingErrorKind.ServiceUnavailable => ErrorCategory.ResourceUnavailable,
            KlingErrorKind.Network => ErrorCategory.ConnectionError,
            KlingErrorKind.Timeout => ErrorCategory.OperationTimeout,
            KlingErrorKind.WaitTimedOut => ErrorCategory.OperationTimeout,
            KlingErrorKind.InvalidResponse => ErrorCategory.InvalidResult,
            KlingErrorKind.TaskFailed => ErrorCategory.InvalidResult,
            KlingErrorKind.Validation => e is KlingValidationException v ? CategoryOf(v.Category) : ErrorCategory.InvalidArgument,
            KlingErrorKind.FileExists => ErrorCategory.ResourceExists,
            KlingErrorKind.NoVideo => ErrorCategory.InvalidOperation,
            KlingErrorKind.JournalInvalid => ErrorCategory.InvalidData,
            KlingErrorKind.JournalLocked => ErrorCategory.ResourceBusy,
            KlingErrorKind.VideoTooLarge => ErrorCategory.LimitsExceeded,
            KlingErrorKind.LocalFile => ErrorCategory.WriteError,
            _ => ErrorCategory.NotSpecified,
        };

        // ValidationCategory's names are ErrorCategory members by design (Core has no PowerShell types).
        private static ErrorCategory CategoryOf(ValidationCategory c) =>
            Enum.TryParse<ErrorCategory>(c.ToString(), out var category) ? category : ErrorCategory.InvalidArgument;
    }
}
