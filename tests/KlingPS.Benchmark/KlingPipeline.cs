using System.Collections.Concurrent;
using System.Diagnostics;

namespace KlingPS.Benchmark;

internal sealed record PipelineResult(TimeSpan Elapsed, int Saved, IReadOnlyList<string> Failures, IReadOnlyDictionary<string, DateTimeOffset> SeenFinished);

/// <summary>
/// What `Get-ChildItem | New-KlingImageVideo | Wait-KlingTask | Save-KlingVideo` does, run by the core's one orchestration
/// (BatchPipeline) with the cmdlets' defaults: files checked and submitted one by one, each task waited for as its
/// submission returns, each finished task saved at once, 4 downloads at a time.
/// </summary>
internal static class KlingPipeline
{
    /// <summary>New-KlingImageVideo's default -ThrottleLimit.</summary>
    public const int CmdletThrottleLimit = 5;

    public static KlingClient Client(Uri baseUri, BenchOptions o) => new(new KlingClientOptions(new KlingApiKey(BenchOptions.ApiKey))
    {
        BaseUri = baseUri,
        // The slot gate's looks and probes and the retries' backoff are time-like: scaled with everything else.
        RetryInterval = o.Scaled(TimeSpan.FromSeconds(1)),
        MaximumRetryDelay = o.Scaled(TimeSpan.FromSeconds(30)),
        ProbeInterval = o.Scaled(TimeSpan.FromSeconds(1)),
        MaximumProbeDelay = o.Scaled(TimeSpan.FromMinutes(10)),
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
        var options = new BatchPipelineOptions(outFolder)
        {
            SubmitThrottle = throttleLimit,
            Wait = new WaitOptions
            {
                MinimumPollInterval = o.Scaled(defaults.MinimumPollInterval),
                MaximumPollInterval = o.Scaled(defaults.MaximumPollInterval),
            },
        };
        var failures = new ConcurrentQueue<string>();
        var seen = new ConcurrentDictionary<string, DateTimeOffset>();
        var saved = 0;
        void Record(BatchOutcome outcome)
        {
            switch (outcome.Step)
            {
                case BatchStep.Finished:
                    seen[outcome.Task!.TaskId] = DateTimeOffset.UtcNow;
                    if (outcome.Task.Status != KlingTaskStatus.Succeeded) failures.Enqueue($"task {outcome.Task.TaskId} {outcome.Task.Status}: {outcome.Task.StatusMessage}");
                    break;
                case BatchStep.Saved:
                    Interlocked.Increment(ref saved);
                    break;
                case BatchStep.Failed:
                    failures.Enqueue($"{outcome.Item}: {outcome.Error!.Message}");
                    break;
            }
        }

        var clock = Stopwatch.StartNew();
        using (var pipeline = new BatchPipeline(client, options, Record, ct))
        {
            foreach (var file in files) pipeline.Submit(Request(file), file);
            await pipeline.CompleteAsync();
        }
        clock.Stop();
        return new PipelineResult(clock.Elapsed, saved, [.. failures], seen);
    }
}
