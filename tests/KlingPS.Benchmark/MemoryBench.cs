using KlingPS.Emulator;

namespace KlingPS.Benchmark;

/// <summary>
/// P4: peak memory while submitting 4 images of 10 MB, each way in its own child process against an
/// emulator in this one: KlingPS (streamed Base64, all 4 in flight) and the naive read-all, Base64, JSON
/// way in C# and in PowerShell (one after another, as the sequential loop does).
/// </summary>
internal static class MemoryBench
{
    public static async Task RunAsync(BenchOptions o, Workspace ws, Report report)
    {
        Console.WriteLine();
        var images = ws.LargePngs(4, 10_000_000);
        var raw = images.Sum(f => new FileInfo(f).Length);
        var folder = Path.GetDirectoryName(images[0])!;
        var warmup = ws.Stills("p4-warmup", 1)[0];
        Console.WriteLine($"== P4: peak memory over submitting 4 PNGs, {Tools.MiB(raw)} together (child processes; peak minus the size before).");

        var klingps = await MeasureAsync(o, emulator => Tools.Self(["--child", "p4-klingps", "--base-uri", emulator, "--folder", folder, "--warmup", warmup]));
        var naive = await MeasureAsync(o, emulator => Tools.Self(["--child", "p4-naive-csharp", "--base-uri", emulator, "--folder", folder, "--warmup", warmup]));
        if (klingps is { } k) report.Goal("P4", "KlingPS submit: peak / raw size", $"{Tools.Ratio(k / (double)raw)} ({Tools.MiB(k)})", "<= 0.50x", k <= raw / 2);
        else report.Skipped("P4", "KlingPS submit", "the child gave no figure");
        if (naive is { } c) report.Info("P4", "naive C# (ReadAllBytes + ToBase64String + JSON): peak / raw size", $"{Tools.Ratio(c / (double)raw)} ({Tools.MiB(c)})");

        if (Tools.PowerShell is not { } pwsh)
        {
            report.Skipped("P4", "naive PowerShell", Tools.PowerShellFailure);
            return;
        }
        var script = Path.Combine(AppContext.BaseDirectory, "naive-submit.ps1");
        var ps = await MeasureAsync(o, emulator => pwsh.StartInfo(["-NoProfile", "-NonInteractive", "-File", script, "-BaseUri", emulator, "-ImageFolder", folder, "-WarmupImage", warmup]));
        if (ps is { } p) report.Info("P4", "naive PowerShell (ReadAllBytes + ToBase64String + ConvertTo-Json): peak / raw size", $"{Tools.Ratio(p / (double)raw)} ({Tools.MiB(p)})");
    }

    /// <summary>Peak minus baseline of one child, against a fresh emulator with free slots; null when it failed.</summary>
    private static async Task<long?> MeasureAsync(BenchOptions o, Func<string, System.Diagnostics.ProcessStartInfo> child)
    {
        await using var emulator = await KlingEmulator.StartAsync(new EmulatorOptions
        {
            Concurrency = BenchOptions.AccountConcurrency,
            Latency = o.Scaled(BenchOptions.Latency),
            GenerationTime = TimeSpan.FromMilliseconds(100),
        });
        var psi = child(emulator.BaseUri.ToString());
        var run = await Tools.RunAsync(psi, TimeSpan.FromMinutes(3));
        var values = run.Values;
        if (!values.ContainsKey("peak"))
        {
            Console.WriteLine($"   {Path.GetFileName(psi.FileName)} {string.Join(' ', psi.ArgumentList.Take(3))}: no result ({run.Failure})");
            return null;
        }
        return values.Long("peak") - values.Long("baseline");
    }
}
