using System;
using System.Management.Automation;
using System.Threading.Tasks;
using KlingPS.Core.Models;
using KlingPS.Core.Validation;
using KlingPS.Core.Waiting;
using KlingPS.Infrastructure;

namespace KlingPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Waits for Kling tasks to finish, all at once, and writes each out as soon as it finishes.</para>
    /// <para type="description">Takes any number of tasks from the pipeline and polls them together: one list request for many tasks where the service supports it, else one query per task. The queries adapt: quick at first for the oldest task, so that short tasks are seen within seconds, then near each task's expected end as the tasks that finished teach it, so that long tasks cost few queries. A succeeded task is written out; a failed one is a non-terminating error that carries the service's reason and the task. One progress bar counts the tasks by status (submitted, processing, succeeded, failed) with the time elapsed, written on each round of queries and every 2 seconds in between.</para>
    /// </summary>
    /// <example>
    ///   <code>Get-ChildItem *.png | New-KlingImageVideo -Prompt 'waves' | Wait-KlingTask -TimeoutSec 1800 | Save-KlingVideo -Path ./clips</code>
    ///   <para>Waits up to 30 minutes for every task of the batch; tasks still running then are reported as errors.</para>
    /// </example>
    /// <example>
    ///   <code>Get-KlingTask -TaskId 861309198188019719 -Route MultiImageToVideo | Wait-KlingTask</code>
    ///   <para>Waits for a task submitted earlier, for example by another runbook.</para>
    /// </example>
    /// <seealso cref="NewKlingImageVideoCommand"/>
    /// <seealso cref="GetKlingTaskCommand"/>
    /// <seealso cref="SaveKlingVideoCommand"/>
    /// <seealso>about_KlingPS</seealso>
    [Cmdlet(VerbsLifecycle.Wait, "KlingTask", HelpUri = HelpUri)]
    [OutputType(typeof(KlingTask))]
    public sealed class WaitKlingTaskCommand : ServiceCmdlet
    {
        /// <summary>The tasks to wait for (from New-KlingImageVideo or Get-KlingTask).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public KlingTask[] Task { get; set; } = Array.Empty<KlingTask>();

        /// <summary>Give up on tasks still running after this many seconds; they are reported as errors (WaitTimeout), with their status as one last query at that moment shows it. The tasks themselves go on.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? TimeoutSec { get; set; }

        /// <summary>Query each task this many seconds after it arrives, then at gaps growing by half each time, instead of adapting. By default the wait adapts: until a task of the run has succeeded, the oldest is queried after 1 s and then at gaps of a quarter of its age (so a task is seen ended at most about a quarter of its time late), the others once early and then every 60 s; after that each task is queried when what the finished ones took says it ends.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int? PollIntervalSec { get; set; }

        private TaskWaiter? _waiter;
        private WaitReporter? _reporter;
        private Task? _running;
        private readonly PaidWork _paid = new PaidWork();

        protected override void BeginProcessing()
        {
            _waiter = new TaskWaiter(Connection.Client, WaitReporter.Options(Call, TimeoutSec, PollIntervalSec));
            _reporter = WaitReporter.Attach(this, _waiter);
            _paid.Watch(_waiter);
            _running = _waiter.RunAsync(StopToken);
        }

        protected override void ProcessRecord()
        {
            foreach (var task in Task)
            {
                WriteVerbose($"Waiting for task {task.TaskId} ({task.Status}).");
                try
                {
                    _waiter!.Add(task);
                    _paid.Running(task);
                }
                catch (KlingValidationException e)
                {
                    WriteItemError(e, task);
                }
            }
            Pump.Drain();
        }

        protected override void EndProcessing()
        {
            _waiter!.Complete();
            Pump.RunUntil(_running!, StopToken);
            _paid.Finished();
            _reporter!.Complete();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                EndWork(_running);
                WarnOfPaidWork(_paid, null);
                _reporter?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
