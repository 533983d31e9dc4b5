using System.Diagnostics;
using System.Globalization;
using KlingPS.TestRunner;

namespace KlingPS.Benchmark;

internal sealed record ProcessResult(int ExitCode, bool TimedOut, string StdOut, string StdErr)
{
    /// <summary>The "result key=value ..." line a child or a script prints last; empty when there is none.</summary>
    public IReadOnlyDictionary<string, string> Values =>
        StdOut.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith(Tools.ResultPrefix, StringComparison.Ordinal)) is { } line
            ? line[Tools.ResultPrefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1])
            : new Dictionary<string, string>();

    /// <summary>Why a run gave no figure, for the report.</summary>
    public string Failure => TimedOut ? "timed out" : $"exit code {ExitCode}: {Tail(StdErr.Length > 0 ? StdErr : StdOut)}";

    private static string Tail(string text) => text.Trim().Split('\n').LastOrDefault()?.Trim() ?? "";
}

internal static class Tools
{
    /// <summary>Children and scripts end their output with one line that starts so.</summary>
    public const string ResultPrefix = "result ";

    public static string? FindOnPath(string name)
    {
        var file = OperatingSystem.IsWindows() ? name + ".exe" : name;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, file);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static readonly Lazy<(PinnedPowerShell? Shell, string Failure)> PinnedPowerShellOnce = new(() =>
    {
        if (RepoRoot() is not { } root) return (null, "no repository (KlingPS.sln) above the benchmark, so no pinned pwsh");
        try
        {
            return (PinnedPowerShell.Restore(root), "");
        }
        catch (InvalidOperationException e)
        {
            return (null, $"the pinned pwsh could not be restored: {e.Message}");
        }
    });

    /// <summary>The project's pinned pwsh (.config/dotnet-tools.json), restored on first use; never one found on PATH.</summary>
    public static PinnedPowerShell? PowerShell => PinnedPowerShellOnce.Value.Shell;

    /// <summary>Why <see cref="PowerShell"/> is null.</summary>
    public static string PowerShellFailure => PinnedPowerShellOnce.Value.Failure;

    /// <summary>Why <see cref="BuiltModule"/> is null.</summary>
    public const string NotBuilt = "out/KlingPS/KlingPS.psd1 is not built (dotnet build KlingPS.sln -c Release)";

    /// <summary>The module as the build leaves it (out/KlingPS/KlingPS.psd1), or null when it is not built.</summary>
    public static string? BuiltModule() =>
        RepoRoot() is { } root && Path.Combine(root, "out", "KlingPS", "KlingPS.psd1") is var manifest && File.Exists(manifest) ? manifest : null;

    /// <summary>The repository root (the folder with KlingPS.sln) above this program, or null.</summary>
    public static string? RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KlingPS.sln"))) return dir.FullName;
        return null;
    }

    /// <summary>This benchmark started again with other arguments: a fresh process whose peak memory is the child's alone.</summary>
    public static ProcessStartInfo Self(IEnumerable<string> args)
    {
        var host = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(host);
        // Under "dotnet KlingPS.Benchmark.dll" the process is the dotnet host, which needs the assembly first.
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            psi.ArgumentList.Add(typeof(Tools).Assembly.Location);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    public static ProcessStartInfo Command(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>Runs a program to its end, or kills it at the timeout.</summary>
    public static async Task<ProcessResult> RunAsync(ProcessStartInfo psi, TimeSpan timeout)
    {
        psi.UseShellExecute = false;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true; // closed at once: nothing waits for a keyboard
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {psi.FileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        return new ProcessResult(process.ExitCode, timedOut, await stdout, await stderr);
    }

    public static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    public static string MiB(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    public static string Ratio(double r) => r.ToString("0.00", CultureInfo.InvariantCulture) + "x";

    public static string Number(double n) => n.ToString("0.00", CultureInfo.InvariantCulture);

    public static long Long(this IReadOnlyDictionary<string, string> values, string key) => long.Parse(values[key], CultureInfo.InvariantCulture);

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
