// Issue 6's benchmark (README, "Benchmark"): KlingPS's submit -> wait -> save against the sequential polling
// loop users would otherwise write, on the emulator with the service's timings, scaled. Prints figures and
// ratios with their goals; asserts nothing. Talks only to 127.0.0.1; every run is bounded in time.
//   dotnet run -c Release --project tests/KlingPS.Benchmark -- [--time-scale 0.05] [--images 100] [--only P1,P2,...]
using System.Runtime.InteropServices;
using KlingPS.Benchmark;

if (args.Length >= 2 && args[0] == "--child") return await Child.RunAsync(args);

var options = BenchOptions.Parse(args);
if (options == null) return 2;

Console.WriteLine($"KlingPS benchmark: {string.Join(",", BenchOptions.Parts.Where(options.Runs))}, time scale {options.TimeScale}, {options.Images} images");
Console.WriteLine($"machine: {Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
var report = new Report();
using (var workspace = new Workspace())
{
    if (options.Runs("P1") || options.Runs("P2")) await ThroughputBench.RunAsync(options, workspace, report);
    if (options.Runs("P3")) await ImportBench.RunAsync(report);
    if (options.Runs("P4")) await MemoryBench.RunAsync(options, workspace, report);
    if (options.Runs("P5")) await DownloadBench.RunAsync(workspace, report);
}
report.PrintTable();
return 0;
