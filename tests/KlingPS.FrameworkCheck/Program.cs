// The .NET Framework check: Windows PowerShell 5.1 runs on .NET Framework 4.x, which cannot run on Linux; Mono is
// the closest runtime there (on Windows the exe runs on .NET Framework itself).
//
//   mono KlingPS.FrameworkCheck.exe --module out/KlingPS --emulator tests/KlingPS.Emulator/bin/Release/net10.0/KlingPS.Emulator.dll
//
// It loads the built module folder as powershell.exe does: KlingPS.dll with Assembly.LoadFrom, nothing of the module
// beside this exe, no binding redirects, and the module's own dependency resolver registered (what
// ModuleLifetime.OnImport does; System.Management.Automation is not here, so it is called by reflection). Only the
// module's two assemblies are handed out by this program, standing in for PowerShell's module loader; every
// dependency (System.Text.Json, System.Memory...) must come through the module's resolver from dependencies/. Then it
// runs submit -> wait -> download against the emulator (started here, with `dotnet`, on 127.0.0.1), the stalled-body
// faults, and the Framework-sensitive code (hashing, file names). One PASS/FAIL line per check, then
// "N passed, N failed"; the exit code is 0 only when every check passed.
using System;
using System.IO;
using System.Threading.Tasks;

namespace KlingPS.FrameworkCheck
{
    internal static class Program
    {
        private static async Task<int> Main(string[] args)
        {
            string? module = null, emulatorDll = null;
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                if (args[i] == "--module") module = args[i + 1];
                else if (args[i] == "--emulator") emulatorDll = args[i + 1];
            }
            if (module == null || emulatorDll == null || args.Length != 4)
            {
                Console.Error.WriteLine("usage: KlingPS.FrameworkCheck.exe --module <built module folder, e.g. out/KlingPS> --emulator <KlingPS.Emulator.dll>");
                return 2;
            }
            module = Path.GetFullPath(module).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            emulatorDll = Path.GetFullPath(emulatorDll);

            var report = new Report();
            Console.WriteLine("Runtime: " + ModuleHost.RuntimeDescription);
            Console.WriteLine("Module:  " + module);
            var host = report.Check("the module folder loads as powershell.exe loads it, its resolver registered", () => ModuleHost.Import(module));
            if (host != null)
            {
                var work = Path.Combine(Path.GetTempPath(), "klingps-frameworkcheck-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(work);
                try
                {
                    using var emulator = await EmulatorProcess.StartAsync(emulatorDll).ConfigureAwait(false);
                    await Checks.RunAsync(report, emulator, work).ConfigureAwait(false);
                    host.CheckWhereAssembliesCameFrom(report);
                }
                catch (Exception e)
                {
                    report.Fail("the checks ran to the end", e.ToString());
                }
                finally
                {
                    try { Directory.Delete(work, recursive: true); } catch (IOException) { }
                }
            }
            Console.WriteLine($"{report.Passed} passed, {report.Failed} failed");
            return report.Failed == 0 && report.Passed > 0 ? 0 : 1;
        }
    }
}
