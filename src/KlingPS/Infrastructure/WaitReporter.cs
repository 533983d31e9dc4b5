using System;
using System.Management.Automation;
using KlingPS.Core.Client;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;
using KlingPS.Core.Waiting;

namespace KlingPS.Infrastructure
{
    /// <summary>Connects a <see cref="TaskWaiter"/> to a cmdlet: finished tasks are output, failed ones are errors, one progress bar for all.</summary>
    internal static class WaitReporter
    {
        private const int ProgressId = 4711;

        /// <summary>The waiter's settings from a command's -TimeoutSec and -PollIntervalSec (the same for Wait-KlingTask and New-* -Wait).</summary>
        public static WaitOptions Options(KlingCallOptions call, int? timeoutSec, int? pollIntervalSec) => new WaitOptions
        {
            Call = call,
            Timeout = timeoutSec.HasValue ? TimeSpan.FromSeconds(timeoutSec.Value) : (TimeSpan?)null,
            // An explicit interval is a promise to the user: it replaces the adaptive plan.
            FixedPollInterval = pollIntervalSec.HasValue ? TimeSpan.FromSeconds(pollIntervalSec.Value) : (TimeSpan?)null,
        };

        public static void Attach(KlingCmdlet cmdlet, TaskWaiter waiter)
        {
            waiter.StatusChanged += (task, before) => cmdlet.Pump.Post(() => cmdlet.WriteVerbose($"Task {task.TaskId}: {before} -> {task.Status}."));
            waiter.Finished += task => cmdlet.Pump.Post(() =>
            {
                if (task.Status == KlingTaskStatus.Succeeded)
                {
                    cmdlet.WriteVerbose($"Task {task.TaskId}: succeeded with {task.Videos.Count} video(s).");
                    cmdlet.WriteObject(task);
                }
                else
                {
                    cmdlet.WriteItemError(TaskErrors.Failed(task), task);
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
                cmdlet.WriteItemError(TaskErrors.WaitTimedOut(task), task);
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
