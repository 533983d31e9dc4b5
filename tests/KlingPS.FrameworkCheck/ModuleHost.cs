using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;

namespace KlingPS.FrameworkCheck
{
    /// <summary>
    /// Stands in for Windows PowerShell's module loader, for the module's own two assemblies only, and watches which
    /// assemblies the runtime could not bind by itself and where every assembly came from.
    /// </summary>
    internal sealed class ModuleHost
    {
        private static readonly string[] OwnAssemblies = { "KlingPS", "KlingPS.Core" };
        private readonly string _module;
        private readonly ConcurrentQueue<string> _unbound = new ConcurrentQueue<string>();

        private ModuleHost(string module) { _module = module; }

        public static string RuntimeDescription => RuntimeInformation.FrameworkDescription;

        /// <summary>Import-Module: KlingPS.dll by Assembly.LoadFrom, then what ModuleLifetime.OnImport does.</summary>
        public static ModuleHost Import(string module)
        {
            var beside = Directory.GetFiles(AppDomain.CurrentDomain.BaseDirectory, "*.dll");
            Report.Expect(beside.Length == 0, "assemblies beside the exe: " + string.Join(", ", beside.Select(Path.GetFileName)));
            var config = AppDomain.CurrentDomain.SetupInformation.ConfigurationFile;
            Report.Expect(!File.Exists(config) || File.ReadAllText(config).IndexOf("assemblyBinding", StringComparison.Ordinal) < 0, config + " has binding redirects");
            // A reference of the exe's own to a dependency would be refused by the module's resolver (not its requester).
            var dependencies = Directory.GetFiles(Path.Combine(module, "dependencies"), "*.dll").Select(Path.GetFileNameWithoutExtension);
            var referenced = typeof(ModuleHost).Assembly.GetReferencedAssemblies().Select(r => r.Name).Intersect(dependencies).ToList();
            Report.Expect(referenced.Count == 0, "the exe references " + string.Join(", ", referenced));

            var host = new ModuleHost(module);
            // First in line, answering nothing: it records every name the runtime could not bind by itself.
            AppDomain.CurrentDomain.AssemblyResolve += (sender, args) => { host._unbound.Enqueue(new AssemblyName(args.Name).Name); return null; };
            AppDomain.CurrentDomain.AssemblyResolve += host.LoadOwn;

            var cmdlets = Assembly.LoadFrom(Path.Combine(module, "KlingPS.dll"));
            var resolver = cmdlets.GetType("KlingPS.Infrastructure.DependencyResolver", throwOnError: true);
            resolver.GetMethod("Register", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static).Invoke(null, null);
            var registered = (bool)resolver.GetProperty("IsRegistered", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static).GetValue(null);
            Report.Expect(registered, "DependencyResolver.IsRegistered is false after Register()");
            return host;
        }

        /// <summary>What PowerShell's loader provides: the module's own assemblies, from the module folder.</summary>
        private Assembly? LoadOwn(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name).Name;
            return Array.IndexOf(OwnAssemblies, name) >= 0 ? Assembly.LoadFrom(Path.Combine(_module, name + ".dll")) : null;
        }

        /// <summary>Run after the work, when every assembly it needed is loaded.</summary>
        public void CheckWhereAssembliesCameFrom(Report report)
        {
            var loaded = AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic).ToList();
            var dependencies = Path.Combine(_module, "dependencies");
            string? LocationOf(string name) => loaded.FirstOrDefault(a => a.GetName().Name == name)?.Location;

            report.Check("KlingPS.dll and KlingPS.Core.dll were loaded from the module folder", () =>
            {
                foreach (var own in OwnAssemblies)
                    Report.Expect(SameFolder(Path.GetDirectoryName(LocationOf(own) ?? string.Empty), _module), own + " was loaded from " + (LocationOf(own) ?? "nowhere"));
                return this;
            });

            report.Check("System.Text.Json came from dependencies/ through the module's resolver", () =>
            {
                var json = LocationOf("System.Text.Json");
                Report.Expect(json != null, "System.Text.Json is not loaded: did the JSON code run?");
                Report.Expect(SameFolder(Path.GetDirectoryName(json), dependencies), "System.Text.Json was loaded from " + json);
                Report.Expect(_unbound.Contains("System.Text.Json"), "the runtime never asked for System.Text.Json: something else bound it");
                return this;
            });

            // The runtime's own folders: mscorlib's parent (Mono's lib/mono holds 4.5/ and gac/), and the GAC.
            var runtime = Path.GetDirectoryName(Path.GetDirectoryName(typeof(object).Assembly.Location));
            report.Check("every other assembly is the runtime's own, the exe, or the module's", () =>
            {
                var exe = Assembly.GetEntryAssembly();
                var strangers = loaded.Where(a => a != exe && !a.GlobalAssemblyCache
                    && !a.Location.StartsWith(runtime + Path.DirectorySeparatorChar, StringComparison.OrdinalIgnoreCase)
                    && !SameFolder(Path.GetDirectoryName(a.Location), _module) && !SameFolder(Path.GetDirectoryName(a.Location), dependencies)).ToList();
                Report.Expect(strangers.Count == 0, "loaded from elsewhere: " + string.Join(", ", strangers.Select(a => a.Location)));
                return this;
            });

            foreach (var file in Directory.GetFiles(dependencies, "*.dll").OrderBy(f => f, StringComparer.Ordinal))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                var from = LocationOf(name);
                report.Note(name + ": " + (from == null ? "not loaded" : SameFolder(Path.GetDirectoryName(from), dependencies) ? "dependencies/" : "the runtime's " + from));
            }
        }

        private static bool SameFolder(string? a, string? b) => a != null && b != null &&
            string.Equals(Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar), StringComparison.OrdinalIgnoreCase);
    }
}
