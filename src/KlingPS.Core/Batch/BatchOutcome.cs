using System;
using System.IO;
using KlingPS.Core.Models;

namespace KlingPS.Core.Batch
{
    /// <summary>What happened to one item of a batch at one step: submitted, finished, saved, skipped as saved before, or failed.</summary>
    internal sealed class BatchOutcome
    {
        private BatchOutcome(BatchStep step, object? item, KlingTask? task, FileInfo? file, Exception? error)
        {
            Step = step;
            Item = item;
            Task = task;
            File = file;
            Error = error;
        }

        public BatchStep Step { get; }
        /// <summary>What the failure is about: the item a submission was given, else the task, or the file a video was to be.</summary>
        public object? Item { get; }
        public KlingTask? Task { get; }
        /// <summary>The saved video (Saved, Skipped).</summary>
        public FileInfo? File { get; }
        public Exception? Error { get; }

        public static BatchOutcome Submitted(object? item, KlingTask task) => new BatchOutcome(BatchStep.Submitted, item, task, null, null);

        public static BatchOutcome Finished(KlingTask task) => new BatchOutcome(BatchStep.Finished, task, task, null, null);

        public static BatchOutcome Saved(KlingTask task, FileInfo file) => new BatchOutcome(BatchStep.Saved, task, task, file, null);

        public static BatchOutcome Skipped(KlingTask task, FileInfo file) => new BatchOutcome(BatchStep.Skipped, task, task, file, null);

        public static BatchOutcome Failed(object? item, KlingTask? task, Exception error) => new BatchOutcome(BatchStep.Failed, item, task, null, error);
    }

    /// <summary>The steps of a batch item (<see cref="BatchOutcome"/>).</summary>
    internal enum BatchStep
    {
        /// <summary>The service accepted the request (or an earlier run's task was found): the task runs.</summary>
        Submitted,
        /// <summary>The task ended: succeeded, or failed with the service's reason.</summary>
        Finished,
        /// <summary>A video was saved whole.</summary>
        Saved,
        /// <summary>A video was not downloaded: the journal records it as saved whole by an earlier run.</summary>
        Skipped,
        /// <summary>The step failed for this item; the others go on.</summary>
        Failed,
    }
}
