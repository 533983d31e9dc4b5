using System.Collections.Concurrent;
using System.Diagnostics;

namespace KlingPS.Benchmark;

internal sealed record PipelineResult(TimeSpan Elapsed, int Saved, IReadOnlyList<string> Failures, IReadOnlyDictionary<string, DateTimeOffset> SeenFinished);

/// <summary>
/// What `Get-ChildItem | New-KlingImageVideo | Wait-KlingTask | Save-KlingVideo` does, with the same core
/// objects and the cmdlets' defaults: files checked and handed to a BatchSubmitter one by one, each task
/// added to one TaskWaiter as its submission returns, each finished task saved at once, 4 downloads at a time.
/// </summary>
internal static class KlingPipeline
{
    /// <summary>New-KlingImageVideo's default -ThrottleLimit.</summary>
    public const int CmdletThrottleLimit = 5;
    /// <summary>Save-KlingVideo's default -ThrottleLimit.</summary>
    public const int CmdletDownloadLimit = 4;

    public static KlingClient Client(Uri baseUri, BenchOptions o) => new(new KlingClientOptions(new KlingApiKey(BenchOptions.ApiKey))
    {
        BaseUri = baseUri,
        // The 1303 backoff (slot gate) is time-like: scaled with everything else.
        RetryInterval = o.Scaled(TimeSpan.FromSeconds(1)),
        MaximumRetryDelay = o.Scaled(TimeSpan.FromSeconds(30)),
    });

    /// <summary>The request New-KlingImageVideo builds for a file with these parameters.</summary>
    public static ImageVideoRequest Request(string file) =>
        new(KlingImage.FromFile(file)) { Prompt = "slow push-in", Model = "kling-v2-6", Mode = "std", Duration = 5 };

    public static async Task<PipelineResult> RunAsync(Uri baseUri, IReadOnlyList<string> files, string outFolder, BenchOptions o,
        int throttleLimit, CancellationToken ct)
    {
        using var client = Client(baseUri, o);
        // Wait-KlingTask's defaults (WaitOptions' own), scaled.
        var defaults = new WaitOptions();
        var waiter = new TaskWaiter(client, new WaitOptions
        {
            MinimumPollInterval = o.Scaled(defaults.MinimumPollInterval),
            MaximumPollInterval = o.Scaled(defaults.MaximumPollInterval),
            InitialEstimate = o.Scaled(defaults.InitialEstimate),
        });
        var downloader = new VideoDownloader(client);
        using var downloadSlots = new SemaphoreSlim(CmdletDownloadLimit);
        var downloads = new List<Task>();
        var failures = new ConcurrentQueue<string>();
        var seen = new ConcurrentDictionary<string, DateTimeOffset>();
        var saved = 0;

        waiter.Finished += task =>
        {
            seen[task.TaskId] = DateTimeOffset.UtcNow;
            if (task.Status != KlingTaskStatus.Succeeded) { failures.Enqueue($"task {task.TaskId} {task.Status}: {task.StatusMessage}"); return; }
            var save = Task.Run(async () =>
            {
                await downloadSlots.WaitAsync(ct);
                try
                {
                    for (var i = 0; i < task.Videos.Count; i++)
                        await downloader.DownloadAsync(task.Videos[i], VideoFileNames.PathFor(outFolder, task, i), force: false, ct: ct);
                    Interlocked.Increment(ref saved);
                }
                catch (Exception e) when (e is KlingApiException or IOException)
                {
                    failures.Enqueue($"save {task.TaskId}: {e.Message}");
                }
                finally
                {
                    downloadSlots.Release();
                }
            }, ct);
            lock (downloads) downloads.Add(save);
        };

        var clock = Stopwatch.StartNew();
        var waiting = waiter.RunAsync(ct);
        using var submitter = new BatchSubmitter(client, throttleLimit, null, null, ct);
        foreach (var file in files)
        {
            var request = Request(file);
            RequestValidator.Validate(request); // the cmdlet checks each file on the pipeline thread before submitting it
            submitter.Submit(request, file);
        }
        // New-KlingImageVideo writes each task as its submission returns; Wait-KlingTask adds it to its waiter.
        await Task.Run(() =>
        {
            while (submitter.Take(ct) is { } result)
            {
                if (result.Task != null) waiter.Add(result.Task);
                else failures.Enqueue($"submit {result.Item}: {result.Error?.Message}");
            }
        }, ct);
        waiter.Complete();
        await waiting;
        Task[] started;
        lock (downloads) started = [.. downloads];
        await Task.WhenAll(started);
        clock.Stop();
        return new PipelineResult(clock.Elapsed, saved, [.. failures], seen);
    }
}
