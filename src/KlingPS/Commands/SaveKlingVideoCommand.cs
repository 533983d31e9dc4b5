using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading;
using KlingPS.Core.Batch;
using KlingPS.Core.Client;
using KlingPS.Core.Downloading;
using KlingPS.Core.Errors;
using KlingPS.Core.Models;
using KlingPS.Infrastructure;

namespace KlingPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Downloads the videos of finished Kling tasks into a folder.</para>
    /// <para type="description">Names each video after its source image (cat.png gives cat.mp4), else after the task id; a second video of one task gets -2. Several videos download at once, each streamed to a temporary file, checked against its announced length, resumed if the connection drops, and only then renamed into place. Never replaces a file without -Force. With -JournalPath, videos a previous run saved whole are skipped. Writes the saved files out as FileInfo.</para>
    /// </summary>
    /// <example>
    ///   <code>Get-ChildItem ./stills/*.png | New-KlingImageVideo -Prompt 'slow push-in' | Wait-KlingTask | Save-KlingVideo -Path ./clips</code>
    ///   <para>Saves ./clips/&lt;image name&gt;.mp4 for every image.</para>
    /// </example>
    /// <example>
    ///   <code>Get-KlingTask -TaskId 2032273942220931072 | Save-KlingVideo -Path ./videos -Force</code>
    ///   <para>Saves (again) the video of one finished task, replacing an existing file.</para>
    /// </example>
    [Cmdlet(VerbsData.Save, "KlingVideo", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveKlingVideoCommand : ServiceCmdlet
    {
        /// <summary>Finished tasks (from Wait-KlingTask or Get-KlingTask).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public KlingTask[] Task { get; set; } = Array.Empty<KlingTask>();

        /// <summary>The folder to save into; created if missing. The current folder when omitted.</summary>
        [Parameter(Position = 0)]
        public string Path { get; set; } = ".";

        /// <summary>Replace files that already exist.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>How many videos download at once.</summary>
        [Parameter]
        [ValidateRange(1, 32)]
        public int ThrottleLimit { get; set; } = 4;

        /// <summary>The batch journal: videos it records as saved whole are not downloaded again.</summary>
        [Parameter]
        public string? JournalPath { get; set; }

        private VideoDownloader? _downloader;
        private BatchJournal? _journal;
        private SemaphoreSlim? _throttle;
        private KlingCallOptions? _call;
        private string _folder = string.Empty;
        private readonly List<System.Threading.Tasks.Task> _downloads = new List<System.Threading.Tasks.Task>();
        private int _started, _finished;

        protected override void BeginProcessing()
        {
            _downloader = new VideoDownloader(Connection.Client);
            _folder = GetUnresolvedProviderPathFromPSPath(Path);
            _throttle = new SemaphoreSlim(ThrottleLimit);
            _call = Call;
            if (JournalPath != null) _journal = BatchJournal.Open(GetUnresolvedProviderPathFromPSPath(JournalPath));
            // The downloader records each video just before renaming it into place, so no kill leaves a file the journal misses.
            _downloader.Journal = _journal;
        }

        protected override void ProcessRecord()
        {
            foreach (var task in Task)
            {
                if (task.Status != KlingTaskStatus.Succeeded || task.Videos.Count == 0)
                {
                    WriteItemError(new KlingApiException(KlingErrorKind.InvalidRequest, Messages.NothingToSave(task)) { Task = task }, task);
                    continue;
                }
                for (var i = 0; i < task.Videos.Count; i++) Start(task, task.Videos[i], VideoFileNames.PathFor(_folder, task, i));
            }
            Pump.Drain();
        }

        private void Start(KlingTask task, KlingVideo video, string target)
        {
            if (_journal != null && _journal.IsSaved(target))
            {
                WriteVerbose($"{target} was saved whole by an earlier run; skipping it.");
                WriteObject(new FileInfo(target));
                return;
            }
            if (!ShouldProcess(target, $"Save video {video.Id} of task {task.TaskId}")) return;
            var number = Interlocked.Increment(ref _started);
            _downloads.Add(System.Threading.Tasks.Task.Run(async () =>
            {
                await _throttle!.WaitAsync(StopToken).ConfigureAwait(false);
                try
                {
                    var file = await _downloader!.DownloadAsync(video, target, Force, null, _call, StopToken).ConfigureAwait(false);
                    Pump.Post(() => { WriteObject(file); Report(); });
                }
                catch (Exception e) when (!(e is OperationCanceledException))
                {
                    Pump.Post(() => { WriteItemError(e, task); Report(); });
                }
                finally
                {
                    Interlocked.Increment(ref _finished);
                    _throttle.Release();
                }
            }));
        }

        private void Report()
        {
            var done = Volatile.Read(ref _finished);
            WriteProgress(new ProgressRecord(4712, "Saving Kling videos", $"{done} of {_started} saved")
            {
                PercentComplete = _started == 0 ? 100 : 100 * done / _started,
                RecordType = done >= _started ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            });
        }

        protected override void EndProcessing()
        {
            Pump.RunUntil(System.Threading.Tasks.Task.WhenAll(_downloads), StopToken);
            _journal?.Dispose();
        }
    }
}
