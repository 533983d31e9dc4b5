using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Threading;
using KlingPS.Core.Batch;
using KlingPS.Core.Downloading;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;
using KlingPS.Core.Validation;
using KlingPS.Infrastructure;

namespace KlingPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Downloads the videos of finished Kling tasks into a folder.</para>
    /// <para type="description">Names each video after its source image (cat.png gives cat.mp4; a multi-image task cat+dog.mp4); a task that comes without its images (Get-KlingTask) is named after the images the journal recorded for it, else after your external id, else after its task id; a second video of one task gets -2. Two tasks never share a file: a name belongs to the first video of the run to take it, else to the video the journal saved there; another task's video goes to name-taskid.mp4, with a warning. Several videos download at once, each streamed to a temporary file, checked against its announced length and the size limit, resumed if the connection drops, and only then renamed into place. Never replaces a file without -Force; with -Force, a video of this run takes its name from an earlier run's. With -JournalPath, videos saved whole before are skipped (their files are written out again). Writes each saved file as Get-Item gives it: a FileInfo with the provider's PSPath, listed as a folder's files are. A progress bar counts the videos downloaded and the bytes received.</para>
    /// </summary>
    /// <example>
    ///   <code>Get-ChildItem ./stills/*.png | New-KlingImageVideo -Prompt 'slow push-in' | Wait-KlingTask | Save-KlingVideo -Path ./clips</code>
    ///   <para>Saves ./clips/&lt;image name&gt;.mp4 for every image.</para>
    /// </example>
    /// <example>
    ///   <code>Get-KlingTask -TaskId 2032273942220931072 | Save-KlingVideo -Path ./videos -Force</code>
    ///   <para>Saves (again) the video of one finished task, replacing an existing file.</para>
    /// </example>
    /// <seealso cref="WaitKlingTaskCommand"/>
    /// <seealso cref="GetKlingTaskCommand"/>
    /// <seealso cref="NewKlingImageVideoCommand"/>
    /// <seealso>about_KlingPS</seealso>
    [Cmdlet(VerbsData.Save, "KlingVideo", HelpUri = HelpUri, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveKlingVideoCommand : ServiceCmdlet
    {
        /// <summary>Finished tasks (from Wait-KlingTask or Get-KlingTask).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public KlingTask[] Task { get; set; } = Array.Empty<KlingTask>();

        /// <summary>The folder to save into; created if missing. The current folder when omitted.</summary>
        [Parameter(Position = 0)]
        [PSDefaultValue(Help = "the current folder")]
        public string Path { get; set; } = ".";

        /// <summary>Replace files that already exist, and give a video its name even when an earlier run saved another task's video there.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>How many videos download at once.</summary>
        [Parameter]
        [ValidateRange(1, 32)]
        [PSDefaultValue(Value = 4)]
        public int ThrottleLimit { get; set; } = 4;

        /// <summary>The batch journal: videos it records as saved whole are not downloaded again.</summary>
        [Parameter]
        public string? JournalPath { get; set; }

        /// <summary>The largest video to save, in megabytes (MiB); a larger one is an error and nothing of it is kept. 512 when omitted: Kling's videos are tens of megabytes.</summary>
        [Parameter]
        [ValidateRange(1, 1048576)]
        [PSDefaultValue(Value = 512)]
        public int MaximumVideoSizeMB { get; set; } = 512;

        private const int ProgressId = 4712;
        private const string ProgressActivity = "Saving Kling videos";
        /// <summary>How often the progress bar shows the bytes received while videos download.</summary>
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

        private BatchJournal? _journal;
        private VideoSaver? _saver;
        private Timer? _ticker;
        private int _tickQueued;

        protected override void BeginProcessing()
        {
            var client = Connection.Client;
            if (JournalPath != null) _journal = OpenJournal(JournalPath);
            var options = new SaveOptions(GetUnresolvedProviderPathFromPSPath(Path))
            {
                Force = Force, ThrottleLimit = ThrottleLimit, MaximumVideoBytes = MaximumVideoSizeMB * 1024L * 1024, Journal = _journal, Call = Call,
            };
            _saver = new VideoSaver(client, options, outcome => Pump.Post(() => Write(outcome)), StopToken);
            // Bytes arrive on background threads: at most one update waits in the pump at a time.
            _ticker = new Timer(_ =>
            {
                if (Interlocked.Exchange(ref _tickQueued, 1) == 0) Pump.Post(() => { _tickQueued = 0; ReportProgress(); });
            }, null, ProgressInterval, ProgressInterval);
        }

        protected override void ProcessRecord()
        {
            foreach (var task in Task)
            {
                try
                {
                    TaskIds.Checked(task.TaskId, task); // it names the file and the journal's record
                }
                catch (KlingValidationException e)
                {
                    WriteItemError(e, task);
                    continue;
                }
                if (task.Status != KlingTaskStatus.Succeeded || task.Videos.Count == 0)
                {
                    WriteItemError(new KlingApiException(KlingErrorKind.NoVideo, Messages.NothingToSave(task)) { Task = task }, task);
                    continue;
                }
                _saver!.Save(task, target => ShouldProcess(target.Path, $"Save video {target.Video.Id} of task {target.Task.TaskId}"));
            }
            Pump.Drain();
        }

        /// <summary>A video's outcome, on the pipeline thread: the file (saved now, or by an earlier run), or the error.</summary>
        private void Write(BatchOutcome outcome)
        {
            if (outcome.Step == BatchStep.Skipped)
            {
                WriteFile(outcome.File!);
                return;
            }
            if (outcome.Error != null) WriteItemError(outcome.Error, outcome.Task);
            else WriteFile(outcome.File!);
            ReportProgress();
        }

        /// <summary>
        /// The file as the file-system provider gives it (as Get-Item does): with PSPath, PSParentPath and the rest, so that
        /// it pipes into Copy-Item or Remove-Item and shows as a directory listing (Mode, LastWriteTime, Length, Name).
        /// </summary>
        private void WriteFile(FileInfo file)
        {
            if (!file.Exists)
            {
                WriteObject(file); // recorded as saved by an earlier run, and since removed: nothing for the provider to give
                return;
            }
            foreach (var item in InvokeProvider.Item.Get(new[] { file.FullName }, true, true)) WriteObject(item);
        }

        /// <summary>Videos ended of those started, and the bytes received; nothing before the first download starts.</summary>
        private void ReportProgress(ProgressRecordType type = ProgressRecordType.Processing)
        {
            var started = _saver!.Started;
            if (started == 0) return;
            var ended = _saver.Ended;
            var status = $"{ended} of {started} downloaded, {_saver.BytesReceived.ToString("N0", CultureInfo.CurrentCulture)} bytes received";
            WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, status) { PercentComplete = 100 * ended / started, RecordType = type });
        }

        protected override void EndProcessing()
        {
            Pump.RunUntil(_saver!.WhenAllDone(), StopToken);
            _ticker!.Dispose();
            ReportProgress(ProgressRecordType.Completed);
            _journal?.Dispose();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _ticker?.Dispose();
                EndWork(_saver?.WhenAllDone());
                _saver?.Dispose();
                _journal?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
