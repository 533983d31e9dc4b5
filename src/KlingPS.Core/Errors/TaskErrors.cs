using KlingPS.Core.Models;

namespace KlingPS.Core.Errors
{
    /// <summary>The errors a task's own end gives: it failed, or it was still running when the wait ran out.</summary>
    internal static class TaskErrors
    {
        public static KlingApiException Failed(KlingTask task) =>
            new KlingApiException(KlingErrorKind.TaskFailed, Messages.TaskFailed(task))
            { Task = task, ServiceMessage = task.StatusMessage, RequestId = task.RequestId, Target = task.TaskId };

        public static KlingApiException WaitTimedOut(KlingTask task) =>
            new KlingApiException(KlingErrorKind.WaitTimedOut, Messages.WaitTimedOut(task)) { Task = task, Target = task.TaskId };
    }
}
