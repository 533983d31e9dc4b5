using System;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using KlingPS.Core.Client;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;
using KlingPS.Core.Waiting;

namespace KlingPS.Infrastructure
{
    /// <summary>
    /// Connects a <see cref="TaskWaiter"/> to a cmdlet: finished tasks are output, failed ones are errors, and one progress
    /// bar counts the tasks by status with the time elapsed, written on each poll round and each finished task, and every
    /// few seconds in between (a timer that posts through the cmdlet's pump, so even a long quiet wait shows it is alive);
    /// a Completed record at the end.
    /// </summary>
    internal sealed class WaitReporter : IDisposable
    {
        private const int ProgressId = 4711;
        private const string Activity = "Waiting for Kling tasks";
        /// <summary>How often the bar is written when nothing else happens.</summary>
        private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(2);

        private readonly KlingCmdlet _cmdlet;
        private readonly TaskWaiter _waiter;
        private readonly Stopwatch _elapsed = Stopwatch.StartNew();
        private readonly Timer _timer;
        private int _reportPending;

        private WaitReporter(KlingCmdlet cmdlet, TaskWaiter waiter)
        {
            _cmdlet = cmdlet;
            _waiter = waiter;
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
                Report();
            });
            waiter.QueryFailed += (task, error) => cmdlet.Pump.Post(() =>
            {
                cmdlet.WriteItemError(error, task);
                Report();
            });
            waiter.TimedOut += task => cmdlet.Pump.Post(() =>
            {
                cmdlet.WriteItemError(TaskErrors.WaitTimedOut(task), task);
                Report();
            });
            waiter.Polled += PostReport;
            _timer = new Timer(_ => PostReport(), null, Refresh, Refresh);
        }

        /// <summary>The waiter's settings from a command's -TimeoutSec and -PollIntervalSec (the same for Wait-KlingTask and New-* -Wait).</summary>
        public static WaitOptions Options(KlingCallOptions call, int? timeoutSec, int? pollIntervalSec) => new WaitOptions
        {
            Call = call,
            Timeout = timeoutSec.HasValue ? TimeSpan.FromSeconds(timeoutSec.Value) : (TimeSpan?)null,
            // An explicit interval is a promise to the user: it replaces the adaptive plan.
            FixedPollInterval = pollIntervalSec.HasValue ? TimeSpan.FromSeconds(pollIntervalSec.Value) : (TimeSpan?)null,
        };

        /// <summary>Reports <paramref name="waiter"/>'s tasks through <paramref name="cmdlet"/> until disposed.</summary>
        public static WaitReporter Attach(KlingCmdlet cmdlet, TaskWaiter waiter) => new WaitReporter(cmdlet, waiter);

        /// <summary>On the pipeline thread, once the wait has ended: the bar's Completed record.</summary>
        public void Complete()
        {
            _timer.Change(Timeout.Infinite, Timeout.Infinite);
            _cmdlet.WriteProgress(Record(ProgressRecordType.Completed));
        }

        /// <summary>A report on the pipeline thread, unless one is queued already (the pump drains only between pipeline items).</summary>
        private void PostReport()
        {
            if (Interlocked.Exchange(ref _reportPending, 1) == 0) _cmdlet.Pump.Post(Report);
        }

        private void Report()
        {
            Interlocked.Exchange(ref _reportPending, 0);
            _cmdlet.WriteProgress(Record(ProgressRecordType.Processing));
        }

        private ProgressRecord Record(ProgressRecordType type)
        {
            var p = _waiter.Progress;
            var elapsed = _elapsed.Elapsed;
            var status = $"{p.Done} of {p.Total} done: {p.Submitted} submitted, {p.Processing} processing, {p.Succeeded} succeeded, {p.Failed} failed"
                + (p.TimedOut == 0 ? "" : $", {p.TimedOut} timed out")
                + string.Format(CultureInfo.InvariantCulture, "; {0}:{1:00} elapsed", (int)elapsed.TotalMinutes, elapsed.Seconds);
            return new ProgressRecord(ProgressId, Activity, status)
            {
                PercentComplete = p.Total == 0 ? 0 : 100 * p.Done / p.Total,
                RecordType = type,
            };
        }

        public void Dispose() => _timer.Dispose();
    }
}
