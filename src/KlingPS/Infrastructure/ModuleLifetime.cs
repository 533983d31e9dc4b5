using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Threading;

namespace KlingPS.Infrastructure
{
    /// <summary>
    /// Registers the dependency resolver when the module is imported and removes it on Remove-Module, so
    /// that System.Text.Json and its helpers load from the module's own dependencies/ folder whenever the
    /// process has none new enough, and KlingPS neither breaks nor is broken by other modules.
    /// </summary>
    public sealed class ModuleLifetime : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        public void OnImport() => DependencyResolver.Register();

        public void OnRemove(PSModuleInfo psModuleInfo) => DependencyResolver.Unregister();
    }

    /// <summary>Answers only for assemblies that exist in the module's dependencies/ folder, and only from there.</summary>
    internal static class DependencyResolver
    {
        private static int _registered;

        internal static readonly string Folder =
            Path.Combine(Path.GetDirectoryName(typeof(DependencyResolver).Assembly.Location) ?? ".", "dependencies");

        public static void Register()
        {
            if (Interlocked.Exchange(ref _registered, 1) == 0) AppDomain.CurrentDomain.AssemblyResolve += OnResolve;
        }

        public static void Unregister()
        {
            if (Interlocked.Exchange(ref _registered, 0) == 1) AppDomain.CurrentDomain.AssemblyResolve -= OnResolve;
        }

        private static Assembly? OnResolve(object? sender, ResolveEventArgs args)
        {
            var path = PathFor(Folder, new AssemblyName(args.Name));
            if (path == null) return null;
            // .NET Framework: the LoadFrom context may hold a second version beside another module's.
            // .NET: LoadFile gives the file an isolated load context, so it cannot clash with the default one.
            return System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase) ? Assembly.LoadFrom(path) : Assembly.LoadFile(path);
        }

        /// <summary>The file that satisfies a request: same simple name, in the folder, at least the version asked for.</summary>
        internal static string? PathFor(string folder, AssemblyName requested)
        {
            if (string.IsNullOrEmpty(requested.Name)) return null;
            var path = Path.Combine(folder, requested.Name + ".dll");
            if (!File.Exists(path)) return null;
            var available = AssemblyName.GetAssemblyName(path).Version;
            if (requested.Version != null && available != null && available < requested.Version) return null;
            return path;
        }
    }
}
