using System;
using KlingPS.Core.Models;

namespace KlingPS.Core.Batch
{
    /// <summary>The outcome of one submission of a batch: its task, or why there is none.</summary>
    internal sealed class SubmissionResult
    {
        public SubmissionResult(object? item, KlingTask? task, Exception? error)
        {
            Item = item;
            Task = task;
            Error = error;
        }

        /// <summary>What the caller submitted (a pipeline item), handed back for error records.</summary>
        public object? Item { get; }
        public KlingTask? Task { get; }
        public Exception? Error { get; }
    }
}
