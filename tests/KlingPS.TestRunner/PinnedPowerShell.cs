using System.Diagnostics;

namespace KlingPS.TestRunner;

/// <summary>
/// The project's PowerShell: the .NET tool <c>powershell</c> pinned in .config/dotnet-tools.json, restored by
/// <c>dotnet tool restore</c> and started as <c>dotnet &lt;its pwsh.dll&gt;</c>; never a pwsh found on PATH. Not through
/// <c>dotnet tool run pwsh</c>: the tool's shim passes its arguments on joined by spaces, so a path with a space would break.
/// Shared with tests/KlingPS.Benchmark (linked source).
/// </summary>
internal sealed class PinnedPowerShell
{
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(5);

    private PinnedPowerShell(string entry) => Entry = entry;

    /// <summary>The restored tool's pwsh.dll.</summary>
    public string Entry { get; }

    /// <summary>
    /// Restores the tool of the manifest under <paramref name="root"/> and asks it where its pwsh.dll is.
    /// Throws <see cref="InvalidOperationException"/>, saying why, when it cannot be had.
    /// </summary>
    public static PinnedPowerShell Restore(string root)
    {
        Capture(root, "tool", "restore");
        var output = Capture(root, "tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-Command", "[Environment]::GetCommandLineArgs()[0]");
        var entry = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        if (Path.GetFileName(entry) != "pwsh.dll" || !File.Exists(entry))
            throw new InvalidOperationException($"the restored pwsh did not name its pwsh.dll; it said: {output.Trim()}");
        return new PinnedPowerShell(entry);
    }

    /// <summary>How to start this PowerShell with <paramref name="arguments"/>, each passed as one argument.</summary>
    public ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        start.ArgumentList.Add(Entry);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }

    /// <summary>Runs dotnet with <paramref name="arguments"/> in <paramref name="root"/> and returns its output, or throws with it.</summary>
    private static string Capture(string root, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var command = "dotnet " + string.Join(' ', arguments);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(RestoreTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{command} did not finish within {RestoreTimeout.TotalMinutes} minutes");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{command} exited {process.ExitCode}: {(stdout.Result + stderr.Result).Trim()}");
        return stdout.Result;
    }
}
