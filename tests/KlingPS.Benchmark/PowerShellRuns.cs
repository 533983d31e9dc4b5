using System.Globalization;
using KlingPS.Emulator;

namespace KlingPS.Benchmark;

/// <summary>
/// P1's PowerShell rows, each in the pinned pwsh against an emulator of its own: the sequential loop users write
/// (sequential-loop.ps1, scaled like everything else) and KlingPS's cmdlets in their pipeline (cmdlet-pipeline.ps1, the
/// module as built). The cmdlets take whole seconds (-PollIntervalSec, -RetryIntervalSec), so their row runs in real time,
/// time scale 1, with every default as it ships.
/// </summary>
internal static class PowerShellRuns
{
    public static async Task<(TimeSpan Elapsed, RequestCounts Counts)?> LoopAsync(BenchOptions o, Workspace ws, IReadOnlyList<string> stills, Report report)
    {
        if (Tools.PowerShell is not { } pwsh)
        {
            report.Skipped("P1", "PowerShell loop", Tools.PowerShellFailure);
            return null;
        }
        Console.WriteLine($"-- sequential PowerShell loop, sequential-loop.ps1 with {pwsh.Entry} ...");
        await using var emulator = await KlingEmulator.StartAsync(ThroughputBench.Emulator(o, list: false));
        var run = await Tools.RunAsync(pwsh.StartInfo(
        [
            "-NoProfile", "-NonInteractive", "-File", Path.Combine(AppContext.BaseDirectory, "sequential-loop.ps1"),
            "-BaseUri", emulator.BaseUri.ToString(), "-ImageFolder", Path.GetDirectoryName(stills[0])!, "-OutFolder", ws.Folder("loop-pwsh"),
            "-PollMilliseconds", ((int)o.Scaled(BenchOptions.LoopPollInterval).TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            "-TimeoutSec", ((int)Math.Ceiling(o.Scaled(o.SlotTime * 5).TotalSeconds)).ToString(CultureInfo.InvariantCulture),
        ]), ThroughputBench.Bound(o, stills.Count));
        return Result(run, emulator, o.TimeScale, stills.Count);
    }

    public static async Task<(TimeSpan Elapsed, RequestCounts Counts)?> CmdletPipelineAsync(BenchOptions o, Workspace ws, IReadOnlyList<string> stills, Report report)
    {
        if (Tools.PowerShell is not { } pwsh)
        {
            report.Skipped("P1", "KlingPS cmdlets in pwsh", Tools.PowerShellFailure);
            return null;
        }
        if (Tools.BuiltModule() is not { } manifest)
        {
            report.Skipped("P1", "KlingPS cmdlets in pwsh", Tools.NotBuilt);
            return null;
        }
        var real = o.AtScale(1);
        Console.WriteLine($"-- KlingPS cmdlets in pwsh, cmdlet-pipeline.ps1 with {manifest}, per-task queries, in real time "
            + $"(about {Tools.Seconds(real.ServiceLimit)}) ...");
        await using var emulator = await KlingEmulator.StartAsync(ThroughputBench.Emulator(real, list: false));
        var run = await Tools.RunAsync(pwsh.StartInfo(
        [
            "-NoProfile", "-NonInteractive", "-File", Path.Combine(AppContext.BaseDirectory, "cmdlet-pipeline.ps1"), "-ModulePath", manifest,
            "-BaseUri", emulator.BaseUri.ToString(), "-ImageFolder", Path.GetDirectoryName(stills[0])!, "-OutFolder", ws.Folder("cmdlets-pwsh"),
        ]), real.ServiceLimit * 3 + TimeSpan.FromMinutes(2));
        return Result(run, emulator, 1, stills.Count);
    }

    /// <summary>The script's "result" line and the emulator's counts; null (with the reason) when not every video was saved.</summary>
    private static (TimeSpan Elapsed, RequestCounts Counts)? Result(ProcessResult run, KlingEmulator emulator, double timeScale, int images)
    {
        var values = run.Values;
        if (!values.ContainsKey("elapsed-ms"))
        {
            Console.WriteLine($"   no result ({run.Failure}): no figure.");
            return null;
        }
        var elapsed = TimeSpan.FromMilliseconds(values.Long("elapsed-ms")) / timeScale;
        var counts = RequestCounts.Of(emulator.Log.Entries);
        Report.Note($"{Tools.Seconds(elapsed)}, {values["saved"]} videos saved, {values["failed"]} failures; {counts}");
        return values.Long("saved") == images ? (elapsed, counts) : null;
    }
}
