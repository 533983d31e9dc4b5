using System.Collections.Concurrent;

namespace KlingPS.BatchDriver;

/// <summary>What one run does: where the images are, where the videos and the journal go, how to reach the service.</summary>
internal sealed class BatchRunOptions
{
    public BatchRunOptions(KlingClientOptions client, string imagesFolder, string outFolder, string journalPath)
    {
        Client = client;
        ImagesFolder = imagesFolder;
        OutFolder = outFolder;
        JournalPath = journalPath;
    }

    public KlingClientOptions Client { get; }
    /// <summary>Every *.png in it is submitted, in name order.</summary>
    public string ImagesFolder { get; }
    public string OutFolder { get; }
    public string JournalPath { get; }
    public string Prompt { get; set; } = "slow push-in";
    /// <summary>New-KlingImageVideo's -ThrottleLimit.</summary>
    public int SubmitThrottle { get; set; } = 5;
    /// <summary>Save-KlingVideo's -ThrottleLimit.</summary>
    public int DownloadThrottle { get; set; } = 4;
    /// <summary>How the waiter polls; its Call is replaced by the run's own.</summary>
    public WaitOptions Wait { get; set; } = new();
    /// <summary>Also write every -Verbose message, as "verbose ...".</summary>
    public bool Verbose { get; set; }
    /// <summary>Receives one line per event; called from any thread.</summary>
    public Action<string> Output { get; set; } = Console.WriteLine;
}

/// <summary>What a run did, for in-process tests (the console prints the same as lines).</summary>
internal sealed class BatchRunResult
{
    public ConcurrentQueue<KlingTask> Submitted { get; } = new();
    public ConcurrentQueue<KlingTask> Finished { get; } = new();
    public ConcurrentQueue<string> Saved { get; } = new();
    public ConcurrentQueue<string> Skipped { get; } = new();
    public ConcurrentQueue<Exception> Errors { get; } = new();
    public int FailedTasks => Finished.Count(t => t.Status != KlingTaskStatus.Succeeded);
    public bool Succeeded => Errors.IsEmpty && FailedTasks == 0;
}

/// <summary>
/// The cmdlet pipeline Get-ChildItem | New-KlingImageVideo -JournalPath J | Wait-KlingTask | Save-KlingVideo -JournalPath J,
/// as the core's one orchestration (BatchPipeline) runs it: each PNG of the folder, in name order, is checked and submitted,
/// each accepted task waited for at once, each succeeded task saved at once. Cancelling the token cancels everything in
/// flight; the run returns (throwing OperationCanceledException) only once nothing of it is still running.
/// </summary>
internal static class BatchRun
{
    public static async Task<BatchRunResult> RunAsync(BatchRunOptions o, CancellationToken ct)
    {
        var result = new BatchRunResult();
        var call = new KlingCallOptions { Verbose = o.Verbose ? m => o.Output("verbose " + m) : null, Warning = m => o.Output("warning " + m) };
        o.Wait.Call = call;
        using var client = new KlingClient(o.Client);
        using var journal = BatchJournal.Open(o.JournalPath);
        var options = new BatchPipelineOptions(o.OutFolder)
        {
            SubmitThrottle = o.SubmitThrottle, DownloadThrottle = o.DownloadThrottle, Journal = journal, Wait = o.Wait, Call = call,
        };
        using var pipeline = new BatchPipeline(client, options, outcome => Record(o, result, outcome), ct);
        foreach (var file in Directory.GetFiles(o.ImagesFolder, "*.png").OrderBy(f => f, StringComparer.Ordinal))
            pipeline.Submit(new ImageVideoRequest(KlingImage.FromFile(file)) { Prompt = o.Prompt }, file);
        try
        {
            await pipeline.CompleteAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            o.Output("cancelled");
            throw;
        }
        o.Output($"done submitted={result.Submitted.Count} saved={result.Saved.Count} skipped={result.Skipped.Count} failed={result.FailedTasks} errors={result.Errors.Count}");
        return result;
    }

    /// <summary>One line per outcome, and the result's record of it.</summary>
    private static void Record(BatchRunOptions o, BatchRunResult result, BatchOutcome outcome)
    {
        switch (outcome.Step)
        {
            case BatchStep.Submitted:
                result.Submitted.Enqueue(outcome.Task!);
                o.Output($"submitted {outcome.Task!.TaskId} {Path.GetFileName(outcome.Task.Source)}");
                break;
            case BatchStep.Finished:
                result.Finished.Enqueue(outcome.Task!);
                if (outcome.Task!.Status != KlingTaskStatus.Succeeded)
                    o.Output($"failed {outcome.Task.TaskId} {Path.GetFileName(outcome.Task.Source)}: {outcome.Task.StatusMessage}");
                break;
            case BatchStep.Saved:
                result.Saved.Enqueue(outcome.File!.FullName);
                o.Output("saved " + outcome.File.FullName);
                break;
            case BatchStep.Skipped:
                result.Skipped.Enqueue(outcome.File!.FullName);
                o.Output("skipped " + outcome.File.FullName);
                break;
            default:
                result.Errors.Enqueue(outcome.Error!);
                o.Output($"error {outcome.Item}: {outcome.Error!.Message}");
                break;
        }
    }
}
