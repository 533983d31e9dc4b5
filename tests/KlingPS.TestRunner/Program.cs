// The project's test command (README): `dotnet run --project tests/KlingPS.TestRunner`.
// It runs `dotnet test` always and Pester when pwsh is on PATH (saying plainly when it is not),
// then prints one line with the totals over both: "N passed, N failed".
using System.Diagnostics;
using System.Xml.Linq;

var root = FindRoot();
var results = Path.Combine(root, "TestResults");
Directory.CreateDirectory(results);
var configuration = args.Contains("--debug") ? "Debug" : "Release";
int passed = 0, failed = 0;
var broken = false;

if (Run("dotnet", $"build \"{Path.Combine(root, "KlingPS.sln")}\" -c {configuration} -nologo -v q") != 0)
{
    Console.WriteLine("Build failed: no test ran.");
    Console.WriteLine("0 passed, 1 failed");
    return 1;
}

var trx = Path.Combine(results, "xunit.trx");
File.Delete(trx);
var xunitExit = Run("dotnet", $"test \"{Path.Combine(root, "tests", "KlingPS.Tests")}\" -c {configuration} --no-build -nologo " +
    $"--logger \"trx;LogFileName={trx}\" --logger \"console;verbosity=normal\"");
if (File.Exists(trx))
{
    var counters = XDocument.Load(trx).Descendants().First(e => e.Name.LocalName == "Counters");
    passed += (int)counters.Attribute("passed")!;
    failed += (int)counters.Attribute("failed")! + ((int?)counters.Attribute("error") ?? 0);
    Console.WriteLine($"xunit: {(int)counters.Attribute("passed")!} passed, {(int)counters.Attribute("failed")!} failed");
}
else
{
    broken = true;
    Console.WriteLine($"xunit: no results (dotnet test exited {xunitExit}).");
}
if (xunitExit != 0 && failed == 0) broken = true;

var pwsh = FindOnPath(OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh");
if (pwsh == null)
{
    Console.WriteLine("Pester: SKIPPED - pwsh (PowerShell 7) is not on PATH, so the Pester tests in tests/pester were not run.");
}
else
{
    var nunit = Path.Combine(results, "pester.xml");
    File.Delete(nunit);
    var script = Path.Combine(root, "tests", "pester", "Invoke-KlingPester.ps1");
    var pesterExit = Run(pwsh, $"-NoProfile -NonInteractive -File \"{script}\" -ResultPath \"{nunit}\" -Configuration {configuration}");
    if (pesterExit == 3)
    {
        Console.WriteLine("Pester: SKIPPED - the Pester module (5.x) is not installed: Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser.");
    }
    else if (File.Exists(nunit))
    {
        var run = XDocument.Load(nunit).Root!;
        var total = (int)run.Attribute("total")!;
        var bad = (int)run.Attribute("failures")! + (int)run.Attribute("errors")!;
        var skipped = (int?)run.Attribute("skipped") ?? 0;
        var notRun = (int?)run.Attribute("not-run") ?? 0;
        passed += total - bad - notRun - skipped;
        failed += bad;
        Console.WriteLine($"Pester: {total - bad - notRun - skipped} passed, {bad} failed");
    }
    else
    {
        broken = true;
        Console.WriteLine($"Pester: no results (exit code {pesterExit}).");
    }
}

if (broken) failed = Math.Max(failed, 1);
Console.WriteLine($"{passed} passed, {failed} failed");
return failed == 0 ? 0 : 1;

static int Run(string file, string arguments)
{
    Console.WriteLine($"> {Path.GetFileName(file)} {arguments}");
    using var process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false })!;
    process.WaitForExit();
    return process.ExitCode;
}

static string? FindOnPath(string name) =>
    (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
        .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "KlingPS.sln"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}
