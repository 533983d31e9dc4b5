using System.Globalization;
using KlingPS.TestRunner;

namespace KlingPS.Benchmark;

/// <summary>P3: how long Import-Module of the built module takes in a fresh pwsh, against importing a built-in binary module.</summary>
internal static class ImportBench
{
    private const int Runs = 5;

    public static async Task RunAsync(Report report)
    {
        Console.WriteLine();
        Console.WriteLine($"== P3: Import-Module in a fresh pwsh -NoProfile, median of {Runs} runs.");
        if (Tools.PowerShell is not { } pwsh)
        {
            report.Skipped("P3", "Import-Module", Tools.PowerShellFailure);
            return;
        }
        if (Tools.BuiltModule() is not { } manifest)
        {
            report.Skipped("P3", "Import-Module", Tools.NotBuilt);
            return;
        }

        var klingps = await MedianMsAsync(pwsh, $"Import-Module '{manifest.Replace("'", "''")}'");
        var builtIn = await MedianMsAsync(pwsh, "Import-Module Microsoft.PowerShell.Security");
        var nothing = await MedianMsAsync(pwsh, "");
        if (klingps == null || builtIn == null || nothing == null) return;
        report.Info("P3", "Import-Module KlingPS", $"{klingps:0} ms");
        report.Info("P3", "Import-Module Microsoft.PowerShell.Security (built-in, baseline)", $"{builtIn:0} ms");
        report.Info("P3", "Measure-Command { } (baseline)", $"{nothing:0} ms");
    }

    private static async Task<double?> MedianMsAsync(PinnedPowerShell pwsh, string script)
    {
        var times = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            var run = await Tools.RunAsync(pwsh.StartInfo(
                ["-NoProfile", "-NonInteractive", "-Command", $"'{Tools.ResultPrefix}ms=' + (Measure-Command {{ {script} }}).TotalMilliseconds.ToString([cultureinfo]::InvariantCulture)"]),
                TimeSpan.FromMinutes(1));
            if (!run.Values.TryGetValue("ms", out var ms))
            {
                Console.WriteLine($"   '{script}': no result ({run.Failure})");
                return null;
            }
            times.Add(double.Parse(ms, CultureInfo.InvariantCulture));
        }
        return Tools.Median(times);
    }
}
