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
/// through the core: submissions run concurrently through the journal, each accepted task goes to the waiter at once,
/// each succeeded task is downloaded at once. Cancelling the token cancels everything in flight; the run returns
/// (throwing OperationCanceledException) only once nothing of it is still running.
/// </summary>
internal static class BatchRun
{
    /// <summary>How long, after a cancellation, in-flight work may take to notice it before the run gives up on it.</summary>
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    public static async Task<BatchRunResult> RunAsync(BatchRunOptions o, CancellationToken ct)
    {
        var result = new BatchRunResult();
        var call = new KlingCallOptions { Verbose = o.Verbose ? m => o.Output("verbose " + m) : null };
        var wait = o.Wait;
        wait.Call = call;

        using var client = new KlingClient(o.Client);
        using var journal = BatchJournal.Open(o.JournalPath);
        // The journal records each video as saved just before its rename: a kill can never leave one saved but unrecorded.
        var downloader = new VideoDownloader(client) { Journal = journal };
        var waiter = new TaskWaiter(client, wait);
        using var downloadGate = new SemaphoreSlim(Math.Max(1, o.DownloadThrottle));
        var downloads = new List<Task>();

        void Error(object? item, Exception e)
        {
            result.Errors.Enqueue(e);
            o.Output($"error {item}: {e.Message}");
        }

        async Task SaveAsync(KlingTask task, KlingVideo video, string target)
        {
            // As Save-KlingVideo does: a video the journal records as saved whole is not downloaded again.
            if (journal.IsSaved(target))
            {
                result.Skipped.Enqueue(target);
                o.Output("skipped " + target);
                return;
            }
            await downloadGate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var file = await downloader.DownloadAsync(video, target, false, null, call, ct).ConfigureAwait(false);
                result.Saved.Enqueue(file.FullName);
                o.Output("saved " + file.FullName);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Error(target, e);
            }
            finally
            {
                downloadGate.Release();
            }
        }

        waiter.Finished += task =>
        {
            result.Finished.Enqueue(task);
            if (task.Status != KlingTaskStatus.Succeeded)
            {
                o.Output($"failed {task.TaskId} {Path.GetFileName(task.Source)}: {task.StatusMessage}");
                return;
            }
            for (var i = 0; i < task.Videos.Count; i++)
            {
                var (video, target) = (task.Videos[i], VideoFileNames.PathFor(o.OutFolder, task, i));
                // Off the waiter's thread: the journal check and the start of a download are not the waiter's work.
                lock (downloads) downloads.Add(Task.Run(() => SaveAsync(task, video, target)));
            }
        };
        waiter.QueryFailed += (task, e) => Error(task.TaskId, e);
        waiter.TimedOut += task => Error(task.TaskId, new TimeoutException($"task {task.TaskId} still {task.Status}"));
        var waiting = waiter.RunAsync(ct);

        using var submitter = new BatchSubmitter(client, o.SubmitThrottle, journal, call, ct);
        foreach (var file in Directory.GetFiles(o.ImagesFolder, "*.png").OrderBy(f => f, StringComparer.Ordinal))
            submitter.Submit(new ImageVideoRequest(KlingImage.FromFile(file)) { Prompt = o.Prompt }, file);

        // Submissions are taken as they come, the way the cmdlet's pipeline thread does, on a thread of their own:
        // Take blocks, and must not hold a thread-pool thread (or a test framework's) for the whole batch.
        void TakeSubmissions()
        {
            while (submitter.Take(ct) is { } r)
            {
                if (r.Error != null)
                {
                    if (r.Error is OperationCanceledException && ct.IsCancellationRequested) throw new OperationCanceledException(ct);
                    Error(r.Item, r.Error);
                    continue;
                }
                result.Submitted.Enqueue(r.Task!);
                o.Output($"submitted {r.Task!.TaskId} {Path.GetFileName(r.Task.Source)}");
                waiter.Add(r.Task);
            }
        }

        try
        {
            await Task.Factory.StartNew(TakeSubmissions, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
            waiter.Complete();
            await waiting.ConfigureAwait(false);
            // Finished fires before RunAsync returns, so every download has been started by now.
            Task[] started;
            lock (downloads) started = downloads.ToArray();
            await Task.WhenAll(started).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await DrainAsync(submitter, waiting, downloads).ConfigureAwait(false);
            o.Output("cancelled");
            throw;
        }
        o.Output($"done submitted={result.Submitted.Count} saved={result.Saved.Count} skipped={result.Skipped.Count} failed={result.FailedTasks} errors={result.Errors.Count}");
        return result;
    }

    /// <summary>After a cancellation: lets every submission, the waiter and every download see it and clean up (temporary files, journal writes).</summary>
    private static async Task DrainAsync(BatchSubmitter submitter, Task waiting, List<Task> downloads)
    {
        using var limit = new CancellationTokenSource(DrainLimit);
        try
        {
            await Task.Factory.StartNew(() => { while (submitter.Take(limit.Token) != null) { } }, CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        Task[] all;
        lock (downloads) all = downloads.Append(waiting).ToArray();
        await Task.WhenAny(Task.WhenAll(all), Task.Delay(DrainLimit)).ConfigureAwait(false);
    }
}
