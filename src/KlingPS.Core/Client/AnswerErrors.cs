using KlingPS.Core.Errors;

namespace KlingPS.Core.Client
{
    /// <summary>
    /// The errors of answers that came whole and parsed but cannot be used as they are: each concerns one task, or one
    /// submission, and says which, so that nothing else is harmed.
    /// </summary>
    internal static class AnswerErrors
    {
        /// <summary>
        /// One task's field is malformed. Retryable: the next answer may read right (and a create's task exists, so it is
        /// looked up by its external id first); a wait that still gets it after the retries ends for this task only.
        /// </summary>
        public static KlingApiException BadField(string target, TaskFieldException e, string? requestId, bool isCreate) =>
            new KlingApiException(KlingErrorKind.InvalidResponse, Messages.BadTaskField(target, e.TaskId, e.Field, e.Problem), e)
            {
                Target = e.TaskId ?? target, RequestId = requestId, IsRetryable = true, OutcomeUnknown = isCreate, Cause = FailureCause.BadTaskField,
            };

        /// <summary>A create answered success without a task id: the task exists, and only its external id finds it.</summary>
        public static KlingApiException MissingTaskId(string target, string externalId, string? requestId) =>
            new KlingApiException(KlingErrorKind.InvalidResponse, Messages.MissingTaskId(target, externalId))
            {
                Target = target, RequestId = requestId, OutcomeUnknown = true, ExternalTaskId = externalId, Cause = FailureCause.MissingTaskId,
            };

        /// <summary>A create answered with a task id the service had given to another submission: this one's task is unknown.</summary>
        public static KlingApiException RepeatedTaskId(string target, string taskId, string otherExternalId, string externalId, string? requestId) =>
            new KlingApiException(KlingErrorKind.InvalidResponse, Messages.RepeatedTaskId(target, taskId, otherExternalId, externalId))
            {
                Target = target, RequestId = requestId, OutcomeUnknown = true, ExternalTaskId = externalId, Cause = FailureCause.RepeatedTaskId,
            };
    }
}
