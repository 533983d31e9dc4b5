using System;
using System.Management.Automation;
using System.Threading.Tasks;
using KlingPS.Core.Batch;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;
using KlingPS.Core.Waiting;
using KlingPS.Infrastructure;

namespace KlingPS.Commands
{
    /// <summary>
    /// The parameters and the flow shared by New-KlingImageVideo and New-KlingMultiImageVideo: requests
    /// are checked and confirmed on the pipeline thread, submitted concurrently in the background, and
    /// their tasks written out as they arrive (or waited for, with -Wait).
    /// </summary>
    public abstract class SubmitCommandBase : ServiceCmdlet
    {
        /// <summary>What should happen in the video (at most 2500 characters).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankIsNotGiven]
        public string? Prompt { get; set; }

        /// <summary>What should not appear in the video (at most 2500 characters).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankIsNotGiven]
        public string? NegativePrompt { get; set; }

        /// <summary>The Kling model (model_name); each cmdlet declares it, with completion of the models its route takes.</summary>
        public abstract string? Model { get; set; }

        /// <summary>std (faster) or pro (higher quality).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModeCompleter))]
        [BlankIsNotGiven]
        [PSDefaultValue(Help = "std (the service's default)")]
        public string? Mode { get; set; }

        /// <summary>Video length in seconds: 5 or 10.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DurationCompleter))]
        [BlankIsNotGiven]
        [PSDefaultValue(Help = "5 (the service's default)")]
        public int? Duration { get; set; }

        /// <summary>How closely the video follows the prompt, 0 to 1.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankIsNotGiven]
        [PSDefaultValue(Help = "the service's default")]
        public double? CfgScale { get; set; }

        /// <summary>A mask image (path, URL or Base64) of the areas that stay still.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankIsNotGiven]
        public string? StaticMask { get; set; }

        /// <summary>Motion-brush groups made with New-KlingDynamicMask (at most 6).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankIsNotGiven]
        public DynamicMask[]? DynamicMask { get; set; }

        /// <summary>An http(s) URL the service posts status changes to.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankIsNotGiven]
        public Uri? CallbackUrl { get; set; }

        /// <summary>Your own unique id for the task; makes re-running the same submission safe: a task that has it already is found (one query) and given back, and the image is not uploaded. One is made when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankIsNotGiven]
        [PSDefaultValue(Help = "klingps- and 32 hex digits: random, or with -JournalPath derived from the journal and the request")]
        public string? ExternalTaskId { get; set; }

        /// <summary>Wait for the tasks to finish and write them out finished (as Wait-KlingTask does).</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>With -Wait: give up on tasks still running after this many seconds; they are reported as errors (WaitTimeout).</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        [PSDefaultValue(Help = "none: waits until every task has ended")]
        public int? TimeoutSec { get; set; }

        /// <summary>With -Wait: query each task this many seconds after it is created, then at gaps growing by half each time, instead of adapting (as Wait-KlingTask -PollIntervalSec).</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int? PollIntervalSec { get; set; }

        /// <summary>How many submissions may be under way at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        [PSDefaultValue(Value = 5)]
        public int ThrottleLimit { get; set; } = 5;

        /// <summary>A journal file that makes the batch resumable: a re-run with the same journal submits nothing twice, and several processes or jobs over the same images and journal make one task per image. A file that is not a KlingPS journal is refused and left as it is.</summary>
        [Parameter]
        public string? JournalPath { get; set; }

        private BatchJournal? _journal;
        private BatchSubmitter? _submitter;
        private SubmissionProgress? _progress;
        private readonly PaidWork _paid = new PaidWork();
        private TaskWaiter? _waiter;
        private WaitReporter? _reporter;
        private Task? _waiting;

        protected override void BeginProcessing()
        {
            var client = Connection.Client;
            var call = Call;
            if (JournalPath != null) _journal = OpenJournal(JournalPath);
            _progress = new SubmissionProgress(this);
            _submitter = new BatchSubmitter(client, ThrottleLimit, _journal, call, outcome =>
            {
                _paid.Answered(outcome.Item, outcome.Task);
                Pump.Post(() => Write(outcome));
            }, StopToken) { Sending = _paid.Sent };
            if (Wait)
            {
                _waiter = new TaskWaiter(client, WaitReporter.Options(call, TimeoutSec, PollIntervalSec));
                _reporter = WaitReporter.Attach(this, _waiter);
                _paid.Watch(_waiter);
                _waiting = _waiter.RunAsync(StopToken);
            }
        }

        /// <summary>
        /// Builds a request with this command's settings (<paramref name="create"/> gives the route's own part), checks it,
        /// asks ShouldProcess, and hands it to the background submitter.
        /// </summary>
        internal void Submit(object item, string description, Func<KlingVideoRequest> create)
        {
            KlingVideoRequest request;
            try
            {
                request = create();
                request.Prompt = Prompt;
                request.NegativePrompt = NegativePrompt;
                request.Model = Model;
                request.Mode = RequestMode;
                request.Duration = Duration;
                request.CfgScale = CfgScale;
                request.StaticMask = OptionalImage(StaticMask);
                foreach (var mask in DynamicMask ?? Array.Empty<DynamicMask>()) request.DynamicMasks.Add(mask);
                request.CallbackUrl = CallbackUrl;
                request.ExternalTaskId = ExternalTaskId;
                _submitter!.Check(request);
            }
            catch (KlingApiException e)
            {
                WriteItemError(e, item);
                _progress!.Refused(description);
                return;
            }
            if (!ShouldProcess(description, "Submit Kling task (spends credits)")) return;
            WriteVerbose("Submitting " + description + ".");
            _progress!.Sending(description);
            _paid.Sending(item, request);
            _submitter!.Submit(request, item);
            Pump.Drain();
        }

        /// <summary>A submission's outcome, on the pipeline thread: its task goes out (or to the waiter, with -Wait), or its error.</summary>
        private void Write(BatchOutcome outcome)
        {
            if (outcome.Error != null) WriteItemError(outcome.Error, outcome.Item);
            else if (_waiter != null) _waiter.Add(outcome.Task!);
            else
            {
                WriteObject(outcome.Task);
                _paid.Done(outcome.Task!); // the next command has it now
            }
            _progress!.Answered(outcome.Error == null);
        }

        protected override void EndProcessing()
        {
            Pump.RunUntil(_submitter!.WhenAllDone(), StopToken);
            _progress!.Complete();
            if (_waiter != null)
            {
                _waiter.Complete();
                Pump.RunUntil(_waiting!, StopToken);
                _reporter!.Complete();
            }
            _journal?.Dispose(); // every submission is recorded by now; let the next run open it
            _paid.Finished();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                EndWork(_submitter == null ? null : Task.WhenAll(_submitter.WhenAllDone(), _waiting ?? Task.CompletedTask));
                WarnOfPaidWork(_paid, JournalPath);
                _submitter?.Dispose();
                _reporter?.Dispose();
                _journal?.Dispose();
            }
            base.Dispose(disposing);
        }

        /// <summary>The settings shown by -WhatIf and -Verbose: image, model, mode, duration.</summary>
        internal string Describe(string images) =>
            $"{images} (model {Model ?? "service default"}, mode {RequestMode ?? "std"}, duration {(Duration ?? 5)} s{(Prompt == null ? "" : ", prompt '" + Shorten(Prompt) + "'")})";

        private static string Shorten(string text) => text.Length <= 60 ? text : text.Substring(0, 57) + "...";

        /// <summary>
        /// -Mode without what Get-ChildItem's output binds to it: a FileInfo's Mode property ("-a---") matches -Mode by name,
        /// and is the file's attributes, never a Kling mode.
        /// </summary>
        internal string? RequestMode => Mode != null && System.Text.RegularExpressions.Regex.IsMatch(Mode, "^[-darhslc]{5,6}$") ? null : Mode;

        internal KlingImage? OptionalImage(string? value) => value == null ? null : ImageArguments.Resolve(this, value);
    }
}
