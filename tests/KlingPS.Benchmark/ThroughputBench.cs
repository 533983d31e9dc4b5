using KlingPS.Emulator;

namespace KlingPS.Benchmark;

/// <summary>Requests of one run, read from the emulator's log.</summary>
internal sealed record RequestCounts(int Accepted, int Rejected, int Queries, int Lists, int Downloads, int Other)
{
    public static RequestCounts Of(IReadOnlyList<RequestLogEntry> log)
    {
        int accepted = 0, rejected = 0, queries = 0, lists = 0, downloads = 0, other = 0;
        foreach (var e in log)
        {
            if (e.Path.StartsWith("/files/", StringComparison.Ordinal) && e.Status is 200 or 206) downloads++;
            else if (e.Method == "POST" && e.Path == "/kling/v1/videos/image2video") { if (e.Status == 200) accepted++; else rejected++; }
            else if (e.Method == "GET" && e.Path == "/kling/v1/videos/image2video") lists++; // answered by the list, or by the website where there is none
            else if (e.Method == "GET" && e.Path.StartsWith("/kling/v1/videos/image2video/", StringComparison.Ordinal)) queries++;
            else other++;
        }
        return new RequestCounts(accepted, rejected, queries, lists, downloads, other);
    }

    /// <summary>Every request beyond the one create that made each task and the one download of its video.</summary>
    public double ExtraPerImage(int images) => (double)(Rejected + Queries + Lists + Other) / images;

    /// <summary>The figure, and how much of it is polling and how much refused creates (each of which uploaded its image).</summary>
    public string Describe(int images) =>
        $"{Tools.Number(ExtraPerImage(images))} ({Tools.Number((double)(Queries + Lists + Other) / images)} polls + {Tools.Number((double)Rejected / images)} refused creates)";

    public override string ToString() =>
        $"{Accepted} creates accepted, {Rejected} refused (1303), {Queries} single-task queries, {Lists} list calls, {Downloads} downloads, {Other} other";
}

/// <summary>
/// P1 (wall time of a batch) and P2 (requests per image): KlingPS's pipeline with per-task queries and with
/// the list endpoint, and the sequential loop in C# and in PowerShell, each against a fresh emulator.
/// </summary>
internal static class ThroughputBench
{
    public static async Task RunAsync(BenchOptions o, Workspace ws, Report report)
    {
        var stills = ws.Stills("stills", o.Images);
        var n = o.Images;
        Console.WriteLine();
        Console.WriteLine($"== P1/P2: {n} images of 640x480; latency {Ms(BenchOptions.Latency)}, submitted {Ms(BenchOptions.SubmittedTime)} + generation "
            + $"{Tools.Seconds(o.GenerationTime)}, account concurrency {BenchOptions.AccountConcurrency}; time scale {o.TimeScale}.");
        Console.WriteLine("   Times are in service seconds (measured / time scale).");
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

        var loop = await CSharpLoopAsync(o, ws, stills);
        var pwsh = await PowerShellLoopAsync(o, ws, stills, report);

        var reference = perTask?.Elapsed;
        if (goals)
        {
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
        }
        if (o.Runs("P2"))
        {
            if (perTask != null) report.Goal("P2", "KlingPS (per-task queries): requests/image beyond create+download", perTask.Value.Counts.Describe(n), "<= 3", perTask.Value.Counts.ExtraPerImage(n) <= 3);
            if (listed != null) report.Goal("P2", "KlingPS (list endpoint): requests/image beyond create+download", listed.Value.Counts.Describe(n), "<= 1.5", listed.Value.Counts.ExtraPerImage(n) <= 1.5);
            if (loop != null) report.Info("P2", "sequential C# loop: requests/image beyond create+download", loop.Value.Counts.Describe(n));
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

    private static EmulatorOptions Emulator(BenchOptions o, bool list) => new()
    {
        Concurrency = BenchOptions.AccountConcurrency,
        Latency = o.Scaled(BenchOptions.Latency),
        SubmittedTime = o.Scaled(BenchOptions.SubmittedTime),
        GenerationTime = o.Scaled(o.GenerationTime),
        ListEndpointSupported = list,
        VideoHost = "127.0.0.1", // everything stays on 127.0.0.1
    };

    /// <summary>A bound for one run: three times what the sequential loop should need, and a minute.</summary>
    private static TimeSpan Bound(BenchOptions o, int images) =>
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

    private static async Task<(TimeSpan Elapsed, RequestCounts Counts)?> PowerShellLoopAsync(BenchOptions o, Workspace ws, IReadOnlyList<string> stills, Report report)
    {
        if (Tools.PowerShell is not { } pwsh)
        {
            report.Skipped("P1", "PowerShell loop", Tools.PowerShellFailure);
            return null;
        }
        Console.WriteLine($"-- sequential PowerShell loop, sequential-loop.ps1 with {pwsh.Entry} ...");
        await using var emulator = await KlingEmulator.StartAsync(Emulator(o, list: false));
        var run = await Tools.RunAsync(pwsh.StartInfo(
        [
            "-NoProfile", "-NonInteractive", "-File", Path.Combine(AppContext.BaseDirectory, "sequential-loop.ps1"),
            "-BaseUri", emulator.BaseUri.ToString(), "-ImageFolder", Path.GetDirectoryName(stills[0])!, "-OutFolder", ws.Folder("loop-pwsh"),
            "-PollMilliseconds", ((int)o.Scaled(BenchOptions.LoopPollInterval).TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-TimeoutSec", ((int)Math.Ceiling(o.Scaled(o.SlotTime * 5).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ]), Bound(o, stills.Count));
        var values = run.Values;
        if (!values.ContainsKey("elapsed-ms"))
        {
            Console.WriteLine($"   no result ({run.Failure}): no figure.");
            return null;
        }
        var elapsed = TimeSpan.FromMilliseconds(values.Long("elapsed-ms")) / o.TimeScale;
        var counts = RequestCounts.Of(emulator.Log.Entries);
        Report.Note($"{Tools.Seconds(elapsed)}, {values["saved"]} videos saved, {values["failed"]} failures; {counts}");
        return values.Long("saved") == stills.Count ? (elapsed, counts) : null;
    }

    private static string Ms(TimeSpan t) => $"{t.TotalMilliseconds:0} ms";
}
