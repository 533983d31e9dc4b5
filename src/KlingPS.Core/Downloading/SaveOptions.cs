using System;
using System.IO;
using KlingPS.Core.Batch;
using KlingPS.Core.Client;

namespace KlingPS.Core.Downloading
{
    /// <summary>Where and how <see cref="VideoSaver"/> saves: Save-KlingVideo's parameters.</summary>
    internal sealed class SaveOptions
    {
        public SaveOptions(string folder) { Folder = Path.GetFullPath(folder ?? throw new ArgumentNullException(nameof(folder))); }

        /// <summary>The folder the videos go to; created when missing.</summary>
        public string Folder { get; }
        /// <summary>Replace files that exist.</summary>
        public bool Force { get; set; }
        /// <summary>How many videos download at once.</summary>
        public int ThrottleLimit { get; set; } = 4;
        /// <summary>A video larger than this is not saved (Save-KlingVideo -MaximumVideoSizeMB).</summary>
        public long MaximumVideoBytes { get; set; } = VideoDownloader.DefaultMaximumBytes;
        /// <summary>Videos it records as saved whole are skipped; each video saved is recorded in it.</summary>
        public BatchJournal? Journal { get; set; }
        /// <summary>Verbose and retry settings for the downloads.</summary>
        public KlingCallOptions Call { get; set; } = KlingCallOptions.Default;
    }
}
