using System.Management.Automation;

namespace KlingPS.Infrastructure
{
    /// <summary>Connects a <see cref="TaskWaiter"/> to a cmdlet: finished tasks are output, failed ones are errors, one progress bar for all.</summary>
    internal static class WaitReporter
    {
        private const int ProgressId = 4711;

        public static void Attach(KlingCmdlet cmdlet, TaskWaiter waiter)
        {
            waiter.StatusChanged += (task, before) => cmdlet.Pump.Post(() => cmdlet.WriteVerbose($"Task {task.TaskId}: {before} -> {task.Status}."));
            waiter.Finished += task => cmdlet.Pump.Post(() =>
            {
                if (task.Status == TaskStatus.Succeeded)
                {
                    cmdlet.WriteVerbose($"Task {task.TaskId}: succeeded with {task.Videos.Count} video(s).");
                    cmdlet.WriteObject(task);
                }
                else
                {
                    cmdlet.WriteItemError(new KlingApiException(KlingErrorKind.TaskFailed, Messages.TaskFailed(task))
                    { Task = task, ServiceMessage = task.StatusMessage, RequestId = task.RequestId, Target = task.TaskId }, task);
                }
                Report(cmdlet, waiter);
            });
            waiter.QueryFailed += (task, error) => cmdlet.Pump.Post(() =>
            {
                cmdlet.WriteItemError(error, task);
                Report(cmdlet, waiter);
            });
            waiter.TimedOut += task => cmdlet.Pump.Post(() =>
            {
                cmdlet.WriteItemError(new KlingApiException(KlingErrorKind.Timeout, Messages.WaitTimedOut(task)) { Task = task, Target = task.TaskId }, task);
                Report(cmdlet, waiter);
            });
        }

        private static void Report(KlingCmdlet cmdlet, TaskWaiter waiter)
        {
            var p = waiter.Progress;
            var record = new ProgressRecord(ProgressId, "Waiting for Kling tasks", $"{p.Done} of {p.Total} done: {p.Succeeded} succeeded, {p.Failed} failed, {p.Running} running")
            {
                PercentComplete = p.Total == 0 ? 0 : 100 * p.Done / p.Total,
                RecordType = p.Running == 0 ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            cmdlet.WriteProgress(record);
        }
    }
}
