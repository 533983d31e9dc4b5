using KlingPS.Emulator;

namespace KlingPS.Benchmark;

/// <summary>
/// P1 (wall time of a batch, and what it uploads) and P2 (requests per image): KlingPS's pipeline with per-task queries and
/// with the list endpoint, its cmdlets in pwsh, and the sequential loop in C# and in PowerShell, each against a fresh emulator.
/// </summary>
internal static class ThroughputBench
{
    public static async Task RunAsync(BenchOptions o, Workspace ws, Report report)
    {
        var stills = ws.Stills("stills", o.Images);
        var n = o.Images;
        var imageBytes = new FileInfo(stills[0]).Length;
        Console.WriteLine();
        Console.WriteLine($"== P1/P2: {n} images of 640x480; latency {Ms(BenchOptions.Latency)}, submitted {Ms(BenchOptions.SubmittedTime)} + generation "
            + $"{Tools.Seconds(o.GenerationTime)}, account concurrency {BenchOptions.AccountConcurrency}; time scale {o.TimeScale}.");
        Console.WriteLine("   Times are in service seconds (measured / time scale). Uploads are the request bodies in the emulator's log, each image "
            + $"{imageBytes} bytes.");
        report.Info("P1", $"service limit: ceil({n}/{BenchOptions.AccountConcurrency}) x {Tools.Seconds(o.SlotTime)}", Tools.Seconds(o.ServiceLimit));
        await WarmUpAsync(o, ws, stills);

        var perTask = await KlingRunAsync(o, ws, stills, list: false, KlingPipeline.CmdletThrottleLimit, "per-task queries");
        var listed = await KlingRunAsync(o, ws, stills, list: true, KlingPipeline.CmdletThrottleLimit, "list endpoint");
        var goals = o.Runs("P1");
        if (goals)
        {
            foreach (var (run, name) in new[] { (perTask, "per-task queries"), (listed, "list endpoint") })
                if (run != null)
                {
                    var ratio = run.Value.Elapsed / o.ServiceLimit;
                    report.Goal("P1", $"KlingPS ({name}) / service limit", $"{Tools.Ratio(ratio)} ({Tools.Seconds(run.Value.Elapsed)})", "<= 1.10x", ratio <= 1.10);
                }
            // Is New-KlingImageVideo's default -ThrottleLimit 5 what holds the batch back against 10 slots?
            var wide = await KlingRunAsync(o, ws, stills, list: false, 10, "per-task queries, -ThrottleLimit 10");
            if (wide != null) report.Info("P1", "KlingPS (per-task, -ThrottleLimit 10) / service limit", $"{Tools.Ratio(wide.Value.Elapsed / o.ServiceLimit)} ({Tools.Seconds(wide.Value.Elapsed)})");
        }

        var cmdlets = goals ? await PowerShellRuns.CmdletPipelineAsync(o, ws, stills, report) : null;
        var loop = await CSharpLoopAsync(o, ws, stills);
        var pwsh = await PowerShellRuns.LoopAsync(o, ws, stills, report);

        var reference = perTask?.Elapsed;
        if (goals)
        {
            if (cmdlets is { } c)
            {
                var ratio = c.Elapsed / o.AtScale(1).ServiceLimit;
                report.Goal("P1", "KlingPS cmdlets in pwsh (per-task queries, time scale 1) / service limit", $"{Tools.Ratio(ratio)} ({Tools.Seconds(c.Elapsed)})", "<= 1.10x", ratio <= 1.10);
            }
            foreach (var (run, name) in new[] { (loop, "sequential C# loop"), (pwsh, "sequential PowerShell loop") })
            {
                if (run == null) continue;
                report.Info("P1", $"{name}", Tools.Seconds(run.Value.Elapsed));
                if (reference != null)
                {
                    var speedup = run.Value.Elapsed / reference.Value;
                    report.Goal("P1", $"{name} / KlingPS (per-task queries)", Tools.Ratio(speedup), ">= 8x", speedup >= 8);
                }
            }
            foreach (var (run, name, goal) in new[] { (perTask, "KlingPS (per-task queries)", true), (listed, "KlingPS (list endpoint)", true),
                (cmdlets, "KlingPS cmdlets in pwsh", true), (loop, "sequential C# loop", false), (pwsh, "sequential PowerShell loop", false) })
                if (run != null) Uploads(report, name, run.Value.Counts, n, imageBytes, goal);
        }
        if (o.Runs("P2"))
        {
            if (perTask != null) report.Goal("P2", "KlingPS (per-task queries): requests/image beyond create+download", perTask.Value.Counts.Describe(n), "<= 3", perTask.Value.Counts.ExtraPerImage(n) <= 3);
            if (listed != null) report.Goal("P2", "KlingPS (list endpoint): requests/image beyond create+download", listed.Value.Counts.Describe(n), "<= 1.5", listed.Value.Counts.ExtraPerImage(n) <= 1.5);
            if (loop != null) report.Info("P2", "sequential C# loop: requests/image beyond create+download", loop.Value.Counts.Describe(n));
            if (cmdlets != null) report.Info("P2", "KlingPS cmdlets in pwsh (per-task queries): requests/image beyond create+download", cmdlets.Value.Counts.Describe(n));
            if (pwsh != null) report.Info("P2", "sequential PowerShell loop: requests/image beyond create+download", pwsh.Value.Counts.Describe(n));
        }
    }

    /// <summary>
    /// Both ways once on two images, unmeasured: start-up and JIT cost a fraction of a second, which the
    /// time scale would magnify into seconds of service time.
    /// </summary>
    private static async Task WarmUpAsync(BenchOptions o, Workspace ws, IReadOnlyList<string> stills)
    {
        Console.WriteLine("-- warm-up (not measured) ...");
        using var cts = new CancellationTokenSource(Bound(o, 2));
        var two = stills.Take(2).ToList();
        await using (var emulator = await KlingEmulator.StartAsync(Emulator(o, list: true)))
            await KlingPipeline.RunAsync(emulator.BaseUri, two, ws.Folder("warmup-klingps"), o, KlingPipeline.CmdletThrottleLimit, cts.Token);
        await using (var emulator = await KlingEmulator.StartAsync(Emulator(o, list: false)))
            await SequentialLoop.RunAsync(emulator.BaseUri, two, ws.Folder("warmup-loop"), o.Scaled(BenchOptions.LoopPollInterval), o.Scaled(o.SlotTime * 5), cts.Token);
    }

    /// <summary>
    /// What a run uploaded: creates refused (1303) per image, each of which sent its image for nothing, and bytes sent per
    /// image as a multiple of the image's size (its Base64 alone is 1.33x).
    /// </summary>
    private static void Uploads(Report report, string name, RequestCounts counts, int n, long imageBytes, bool goal)
    {
        var refused = counts.RefusedPerImage(n);
        var upload = counts.UploadPerImage(n, imageBytes);
        var refusedText = $"{Tools.Number(refused)} ({counts.Rejected} for {n} images)";
        var uploadText = $"{Tools.Ratio(upload)} ({counts.BodyBytes / n / 1024.0:0.0} KiB per {imageBytes / 1024.0:0.0} KiB image)";
        if (goal)
        {
            report.Goal("P1", $"{name}: refused creates per image", refusedText, "<= 0.10", refused <= 0.10);
            report.Goal("P1", $"{name}: bytes sent per image / image size", uploadText, "<= 1.50x", upload <= 1.50);
        }
        else
        {
            report.Info("P1", $"{name}: refused creates per image", refusedText);
            report.Info("P1", $"{name}: bytes sent per image / image size", uploadText);
        }
    }

    internal static EmulatorOptions Emulator(BenchOptions o, bool list) => new()
    {
        Concurrency = BenchOptions.AccountConcurrency,
        Latency = o.Scaled(BenchOptions.Latency),
        SubmittedTime = o.Scaled(BenchOptions.SubmittedTime),
        GenerationTime = o.Scaled(o.GenerationTime),
        ListEndpointSupported = list,
        VideoHost = "127.0.0.1", // everything stays on 127.0.0.1
    };

    /// <summary>A bound for one run: three times what the sequential loop should need, and a minute.</summary>
    internal static TimeSpan Bound(BenchOptions o, int images) =>
        o.Scaled((o.SlotTime + 2 * BenchOptions.LoopPollInterval) * images) * 3 + TimeSpan.FromMinutes(1);

    private static async Task<(TimeSpan Elapsed, RequestCounts Counts)?> KlingRunAsync(BenchOptions o, Workspace ws, IReadOnlyList<string> stills,
        bool list, int throttleLimit, string name)
    {
        Console.WriteLine($"-- KlingPS pipeline, {name} ...");
        await using var emulator = await KlingEmulator.StartAsync(Emulator(o, list));
        using var cts = new CancellationTokenSource(Bound(o, stills.Count));
        PipelineResult result;
        var started = DateTimeOffset.UtcNow;
        try
        {
            result = await KlingPipeline.RunAsync(emulator.BaseUri, stills, ws.Folder("videos-" + Guid.NewGuid().ToString("N")[..8]), o, throttleLimit, cts.Token);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine($"   not finished within {Tools.Seconds(Bound(o, stills.Count))}: no figure.");
            return null;
        }
        var counts = RequestCounts.Of(emulator.Log.Entries);
        Report.Note($"{Tools.Seconds(result.Elapsed / o.TimeScale)}, {result.Saved} videos saved, {result.Failures.Count} failures; {counts}");
        foreach (var f in result.Failures.Take(5)) Report.Note("failure: " + f);
        Timeline(o, emulator.Tasks, result, started);
        return result.Saved == stills.Count ? (result.Elapsed / o.TimeScale, counts) : null;
    }

    /// <summary>Where the time went: how busy the account's slots were, and how late finished tasks were seen.</summary>
    private static void Timeline(BenchOptions o, IReadOnlyList<EmulatedTask> tasks, PipelineResult result, DateTimeOffset started)
    {
        if (tasks.Count == 0) return;
        double S(TimeSpan t) => t.TotalSeconds / o.TimeScale;
        var firstCreate = tasks.Min(t => t.CreatedAt);
        var lastFinal = tasks.Max(t => t.FinishedAt);
        var busy = tasks.Sum(t => (t.FinishedAt - t.CreatedAt).TotalSeconds);
        var utilization = busy / ((lastFinal - firstCreate).TotalSeconds * BenchOptions.AccountConcurrency);
        var lags = tasks.Where(t => result.SeenFinished.ContainsKey(t.TaskId)).Select(t => S(result.SeenFinished[t.TaskId] - t.FinishedAt)).ToList();
        Report.Note($"timeline: first task created at {S(firstCreate - started):0.0} s, last task final at {S(lastFinal - started):0.0} s, "
            + $"all saved at {S(result.Elapsed):0.0} s; slots busy {utilization:P1} of that span; "
            + (lags.Count == 0 ? "" : $"task final -> seen by the waiter: mean {lags.Average():0.00} s, max {lags.Max():0.00} s"));
    }

    private static async Task<(TimeSpan Elapsed, RequestCounts Counts)?> CSharpLoopAsync(BenchOptions o, Workspace ws, IReadOnlyList<string> stills)
    {
        Console.WriteLine($"-- sequential C# loop (poll every {Tools.Seconds(BenchOptions.LoopPollInterval)}) ...");
        await using var emulator = await KlingEmulator.StartAsync(Emulator(o, list: false));
        using var cts = new CancellationTokenSource(Bound(o, stills.Count));
        LoopResult result;
        try
        {
            result = await SequentialLoop.RunAsync(emulator.BaseUri, stills, ws.Folder("loop-csharp"), o.Scaled(BenchOptions.LoopPollInterval),
                o.Scaled(o.SlotTime * 5), cts.Token);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine($"   not finished within {Tools.Seconds(Bound(o, stills.Count))}: no figure.");
            return null;
        }
        var counts = RequestCounts.Of(emulator.Log.Entries);
        Report.Note($"{Tools.Seconds(result.Elapsed / o.TimeScale)}, {result.Saved} videos saved, {result.Failures.Count} failures; {counts}");
        return result.Saved == stills.Count ? (result.Elapsed / o.TimeScale, counts) : null;
    }

    private static string Ms(TimeSpan t) => $"{t.TotalMilliseconds:0} ms";
}
