using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace KlingPS.Infrastructure
{
    /// <summary>
    /// The approach of PSResourceGet (src/code/ModuleInitAndCleanup.cs) and of PowerShell's guide "Resolving
    /// PowerShell module assembly dependency conflicts": AssemblyResolve is raised only when the runtime found
    /// nothing suitable (PowerShell 7.4+ binds KlingPS.Core to its own, newer System.Text.Json first), and the
    /// handler answers only requests made by KlingPS's assemblies, only with files of dependencies/.
    /// </summary>
    internal static class DependencyResolver
    {
        private static readonly object Gate = new object();
        private static int _imports;

        internal static readonly string ModuleFolder = Path.GetDirectoryName(typeof(DependencyResolver).Assembly.Location) ?? ".";

        /// <summary>
        /// .NET: one load context of the module's own, so that its copies sit beside any other version in the
        /// process (Assembly.LoadFile would make one anonymous context per file). netstandard2.0 cannot name
        /// AssemblyLoadContext, hence reflection, as in PSResourceGet. .NET Framework has no such type; there
        /// LoadFrom is what Windows PowerShell uses for modules, and it keeps strong-named versions side by side.
        /// </summary>
        private static readonly Lazy<Func<string, Assembly>> Load = new Lazy<Func<string, Assembly>>(() =>
        {
            var contextType = typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext");
            if (contextType == null) return Assembly.LoadFrom;
            var context = contextType.GetConstructor(new[] { typeof(string), typeof(bool) })!.Invoke(new object[] { "KlingPS", false });
            return (Func<string, Assembly>)Delegate.CreateDelegate(typeof(Func<string, Assembly>), context, "LoadFromAssemblyPath");
        });

        internal static bool IsRegistered { get { lock (Gate) return _imports > 0; } }

        // Counted: each runspace that imports the module calls OnImport, and a Remove-Module in one of them
        // must not take the handler away from the others.
        public static void Register()
        {
            lock (Gate) if (_imports++ == 0) AppDomain.CurrentDomain.AssemblyResolve += OnResolve;
        }

        public static void Unregister()
        {
            lock (Gate) if (_imports > 0 && --_imports == 0) AppDomain.CurrentDomain.AssemblyResolve -= OnResolve;
        }

        private static Assembly? OnResolve(object? sender, ResolveEventArgs args)
        {
            var requester = args.RequestingAssembly;
            // A dynamic assembly has no file (.NET Framework even throws on Location): never KlingPS's.
            var path = PathFor(ModuleFolder, new AssemblyName(args.Name), requester == null ? null : requester.IsDynamic ? string.Empty : requester.Location);
            return path == null ? null : Load.Value(path);
        }

        /// <summary>
        /// The file that satisfies a request, or null when it is not KlingPS's to answer: the requester is not one
        /// of the module's assemblies (it may be null: .NET Framework does not always say, and then the name
        /// decides), or dependencies/ has no file of that name, strong name and at least that version. A higher
        /// version is accepted because Windows PowerShell has no binding redirects (System.Memory asks for
        /// System.Runtime.CompilerServices.Unsafe 4.0.4.1, the folder holds 6.0.0.0).
        /// </summary>
        internal static string? PathFor(string moduleFolder, AssemblyName requested, string? requesterPath)
        {
            var folder = Path.Combine(moduleFolder, "dependencies");
            if (requesterPath != null)
            {
                // "" is an assembly loaded from bytes; OrdinalIgnoreCase because Windows paths may differ in case only.
                var from = requesterPath.Length == 0 ? null : Path.GetDirectoryName(requesterPath);
                if (!string.Equals(from, moduleFolder, StringComparison.OrdinalIgnoreCase) && !string.Equals(from, folder, StringComparison.OrdinalIgnoreCase)) return null;
            }
            var name = requested.Name;
            // A plain file name only (no separator can lead out of the folder); checked without Path methods,
            // which throw on such characters on .NET Framework.
            if (string.IsNullOrEmpty(name) || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) return null;
            var path = Path.Combine(folder, name + ".dll");
            if (!File.Exists(path)) return null;
            var available = AssemblyName.GetAssemblyName(path);
            if (requested.Version != null && available.Version < requested.Version) return null;
            var token = requested.GetPublicKeyToken();
            // Enumerable named: C# 14 would bind an array's SequenceEqual to MemoryExtensions, in System.Memory, one of
            // the very files this resolver serves (on .NET Framework it would then need itself to run).
            if (token != null && token.Length > 0 && !Enumerable.SequenceEqual(token, available.GetPublicKeyToken() ?? Array.Empty<byte>())) return null;
            return path;
        }
    }
}
