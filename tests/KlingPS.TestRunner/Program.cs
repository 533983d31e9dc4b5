// The project's test command (README): `dotnet run --project tests/KlingPS.TestRunner -c Release`, or -c Debug.
// It builds the solution in its own configuration, runs xunit, restores the pinned pwsh and Pester and runs the Pester
// tests against the module folder of that configuration, runs the .NET Framework check (under Mono off Windows), then
// prints one line with the totals over all three: "N passed, N failed". Nothing goes unrun: when pwsh, Pester or Mono
// cannot be had, the run fails and says why.
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;
using KlingPS.TestRunner;

var root = FindRoot();
var results = Path.Combine(root, "TestResults");
Directory.CreateDirectory(results);
var self = Assembly.GetExecutingAssembly();
var configuration = self.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
// out/KlingPS for Release, out/<Configuration>/KlingPS otherwise (Directory.Build.props), as written into this program by its build.
var moduleFolder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(self.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "KlingModuleDir").Value!
    .Replace('\\', Path.DirectorySeparatorChar)));
int passed = 0, failed = 0;
var broken = false;
// What failed, by name with the first lines of its message: repeated just before the totals, because a CI log is often
// kept only by its tail, far from where xunit or Pester printed the failure.
var recap = new List<string>();

if (Run(Dotnet("build", Path.Combine(root, "KlingPS.sln"), "-c", configuration, "-nologo", "-v", "q")) != 0)
{
    Console.WriteLine("Build failed: no test ran.");
    Console.WriteLine("0 passed, 1 failed");
    return 1;
}

var trx = Path.Combine(results, "xunit.trx");
File.Delete(trx);
var xunitExit = Run(Dotnet("test", Path.Combine(root, "tests", "KlingPS.Tests"), "-c", configuration, "--no-build", "-nologo",
    "--logger", $"trx;LogFileName={trx}", "--logger", "console;verbosity=normal"));
if (File.Exists(trx))
{
    var report = XDocument.Load(trx);
    var counters = report.Descendants().First(e => e.Name.LocalName == "Counters");
    passed += (int)counters.Attribute("passed")!;
    failed += (int)counters.Attribute("failed")! + ((int?)counters.Attribute("error") ?? 0);
    Console.WriteLine($"xunit: {(int)counters.Attribute("passed")!} passed, {(int)counters.Attribute("failed")!} failed");
    foreach (var result in report.Descendants().Where(e => e.Name.LocalName == "UnitTestResult" && (string?)e.Attribute("outcome") is "Failed" or "Error"))
        recap.Add($"xunit: {(string?)result.Attribute("testName")}\n{FirstLines(result.Descendants().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value)}");
}
else
{
    broken = true;
    Console.WriteLine($"xunit: no results (dotnet test exited {xunitExit}).");
}
if (xunitExit != 0 && failed == 0) broken = true;

if (RunPester() is { } why)
{
    broken = true;
    Console.WriteLine($"Pester: FAILED - {why}");
}

if (RunFrameworkCheck() is { } whyNot)
{
    broken = true;
    Console.WriteLine($".NET Framework check: FAILED - {whyNot}");
}

if (recap.Count > 0)
{
    Console.WriteLine($"What failed ({recap.Count}):");
    foreach (var entry in recap) Console.WriteLine($"- {entry}");
}
if (broken) failed = Math.Max(failed, 1);
Console.WriteLine($"{passed} passed, {failed} failed");
return failed == 0 ? 0 : 1;

// Runs the Pester suite and adds its counts; returns why it could not, or null.
string? RunPester()
{
    PinnedPowerShell pwsh;
    try
    {
        Console.WriteLine("> restoring the pinned pwsh (.config/dotnet-tools.json)");
        pwsh = PinnedPowerShell.Restore(root);
    }
    catch (InvalidOperationException e)
    {
        return $"the pinned pwsh could not be restored: {e.Message}";
    }
    var packages = Path.Combine(root, ".tools", "packages");
    if (Run(Dotnet("restore", Path.Combine(root, "tests", "TestPackages.proj"), "--packages", packages, "-nologo", "-v", "q")) != 0)
        return $"tests/TestPackages.proj (Pester and what the tests load) could not be restored into {packages}.";

    var nunit = Path.Combine(results, "pester.xml");
    var summary = Path.Combine(results, "pester.json");
    File.Delete(nunit);
    File.Delete(summary);
    var exit = Run(pwsh.StartInfo(["-NoProfile", "-NonInteractive", "-File", Path.Combine(root, "tests", "pester", "Invoke-KlingPester.ps1"),
        "-ModulePath", moduleFolder, "-Configuration", configuration, "-ResultPath", nunit, "-SummaryPath", summary]));
    if (!File.Exists(summary)) return $"no results (pwsh exited {exit}).";

    var counts = JsonDocument.Parse(File.ReadAllText(summary)).RootElement;
    int Count(string name) => counts.GetProperty(name).GetInt32();
    // A test that did not pass is a failure, whatever the reason; so is a failed setup block or test file.
    string[] notPassed = ["failed", "skipped", "inconclusive", "notRun", "failedBlocks", "failedContainers"];
    var bad = notPassed.Sum(Count);
    passed += Count("passed");
    failed += bad;
    var detail = string.Join(", ", notPassed.Skip(1).Where(n => Count(n) > 0).Select(n => $"{n} {Count(n)}"));
    Console.WriteLine($"Pester: {Count("passed")} passed, {bad} failed{(detail.Length > 0 ? $" (counted as failed: {detail})" : "")}" +
        $" - Pester {counts.GetProperty("pester").GetString()}, PowerShell {counts.GetProperty("powershell").GetString()}");
    if (File.Exists(nunit))
        foreach (var test in XDocument.Load(nunit).Descendants("test-case").Where(e => (string?)e.Attribute("result") is not ("Success" or null)))
            recap.Add($"Pester ({(string?)test.Attribute("result")}): {(string?)test.Attribute("name")}\n{FirstLines(test.Element("failure")?.Element("message")?.Value)}");
    if (Count("passed") + bad == 0) return "no Pester test ran.";
    if (exit != 0 && bad == 0) return $"pwsh exited {exit}.";
    return null;
}

// Runs tests/KlingPS.FrameworkCheck (net472) against the built module: on .NET Framework itself on Windows, under Mono
// elsewhere. Adds its counts; returns why it could not run, or null.
string? RunFrameworkCheck()
{
    var exe = Path.Combine(root, "tests", "KlingPS.FrameworkCheck", "bin", configuration, "net472", "KlingPS.FrameworkCheck.exe");
    var emulator = Path.Combine(root, "tests", "KlingPS.Emulator", "bin", configuration, "net10.0", "KlingPS.Emulator.dll");
    ProcessStartInfo start;
    if (OperatingSystem.IsWindows()) start = new ProcessStartInfo(exe);
    else if (FindOnPath("mono") is { } mono) (start = new ProcessStartInfo(mono)).ArgumentList.Add(exe);
    else return "Mono is not installed (Debian/Ubuntu: apt-get install -y --no-install-recommends mono-devel; .ci/run does this).";
    foreach (var argument in new[] { "--module", moduleFolder, "--emulator", emulator }) start.ArgumentList.Add(argument);
    start.UseShellExecute = false;
    start.RedirectStandardOutput = true;

    Console.WriteLine($"> {Path.GetFileName(start.FileName)} {string.Join(' ', start.ArgumentList)}");
    using var process = Process.Start(start)!;
    string? line, last = null;
    while ((line = process.StandardOutput.ReadLine()) != null)
    {
        Console.WriteLine(line);
        last = line;
    }
    process.WaitForExit();
    var totals = last == null ? null : System.Text.RegularExpressions.Regex.Match(last, @"^(\d+) passed, (\d+) failed$");
    if (totals is not { Success: true }) return $"no totals (exit code {process.ExitCode}).";
    int good = int.Parse(totals.Groups[1].Value), bad = int.Parse(totals.Groups[2].Value);
    passed += good;
    failed += bad;
    Console.WriteLine($".NET Framework check: {good} passed, {bad} failed - {(OperatingSystem.IsWindows() ? ".NET Framework" : "Mono")}");
    if (good + bad == 0) return "no check ran.";
    if (process.ExitCode != 0 && bad == 0) return $"it exited {process.ExitCode}.";
    return null;
}

static string FirstLines(string? message) =>
    string.Join('\n', (message ?? "(no message)").Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).Take(6).Select(l => $"    {l}"));

static string? FindOnPath(string name) =>
    (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

static ProcessStartInfo Dotnet(params string[] arguments)
{
    var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
    foreach (var argument in arguments) start.ArgumentList.Add(argument);
    return start;
}

static int Run(ProcessStartInfo start)
{
    Console.WriteLine($"> {Path.GetFileName(start.FileName)} {string.Join(' ', start.ArgumentList.Select(a => a.Contains(' ') ? $"\"{a}\"" : a))}");
    using var process = Process.Start(start)!;
    process.WaitForExit();
    return process.ExitCode;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "KlingPS.sln"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}
