using KlingPS.Core.Client;
using KlingPS.Core.Waiting;

namespace KlingPS.Core.Batch
{
    /// <summary>How <see cref="BatchPipeline"/> runs; the defaults are the cmdlets'.</summary>
    internal sealed class BatchPipelineOptions
    {
        public BatchPipelineOptions(string outFolder) { OutFolder = outFolder; }

        /// <summary>Where the videos are saved (Save-KlingVideo -Path).</summary>
        public string OutFolder { get; }
        /// <summary>Submissions under way at once (New-KlingImageVideo -ThrottleLimit).</summary>
        public int SubmitThrottle { get; set; } = 5;
        /// <summary>Downloads at once (Save-KlingVideo -ThrottleLimit).</summary>
        public int DownloadThrottle { get; set; } = 4;
        /// <summary>Replace files that exist (Save-KlingVideo -Force).</summary>
        public bool Force { get; set; }
        /// <summary>The batch's journal (-JournalPath of both ends), or none.</summary>
        public BatchJournal? Journal { get; set; }
        /// <summary>How the tasks are waited for; its Call says where the waiter's verbose lines go.</summary>
        public WaitOptions Wait { get; set; } = new WaitOptions();
        /// <summary>Verbose and retry settings for submissions and downloads.</summary>
        public KlingCallOptions Call { get; set; } = KlingCallOptions.Default;
    }
}
