using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;

namespace KlingPS.HelpGen
{
    /// <summary>
    /// KlingPS.HelpGen --assembly KlingPS.dll --docs KlingPS.xml --out en-US/KlingPS.dll-Help.xml [--reference path]...
    /// The cmdlet metadata comes from the compiled assembly, the words from its XML doc comments, so help cannot
    /// drift from the code. Missing docs are reported as MSBuild warnings; the help tests turn them into failures.
    /// </summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            string? assembly = null, docs = null, output = null;
            var references = new List<string>();
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                switch (args[i])
                {
                    case "--assembly": assembly = args[i + 1]; break;
                    case "--docs": docs = args[i + 1]; break;
                    case "--out": output = args[i + 1]; break;
                    case "--reference": references.Add(args[i + 1]); break;
                    default: return Usage("unknown option " + args[i]);
                }
            }
            if (args.Length % 2 != 0 || assembly == null || docs == null || output == null) return Usage("--assembly, --docs and --out are required");

            try
            {
                using var context = new MetadataLoadContext(new PathAssemblyResolver(ResolverPaths(assembly, references)));
                var cmdlets = CmdletReader.Read(context.LoadFromAssemblyPath(Path.GetFullPath(assembly)));
                var comments = new DocComments(docs);
                var writer = new MamlWriter(comments);
                var maml = writer.Write(cmdlets);
                foreach (var warning in writer.Warnings) Console.WriteLine($"{Path.GetFileName(docs)}: warning KLHELP1: {warning}");
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
                maml.Save(output);
                Console.WriteLine($"KlingPS.HelpGen: {cmdlets.Count} cmdlets -> {output}");
                return 0;
            }
            catch (Exception e) when (e is IOException || e is System.Xml.XmlException || e is BadImageFormatException || e is UnauthorizedAccessException)
            {
                // A FileNotFoundException here is usually System.Management.Automation: pass it with --reference.
                Console.Error.WriteLine($"KlingPS.HelpGen: error KLHELP0: {e.Message}");
                return 1;
            }
        }

        private static int Usage(string problem)
        {
            Console.Error.WriteLine($"KlingPS.HelpGen: error KLHELP0: {problem}");
            Console.Error.WriteLine("usage: KlingPS.HelpGen --assembly <KlingPS.dll> --docs <KlingPS.xml> --out <file> [--reference <dll or folder>]...");
            return 2;
        }

        /// <summary>
        /// What the load context may resolve against: this runtime's own assemblies (netstandard.dll forwards into
        /// them), the module's folder (KlingPS.Core and its dependencies), and --reference files or folders.
        /// </summary>
        private static IEnumerable<string> ResolverPaths(string assembly, List<string> references)
        {
            var paths = new List<string>(Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"));
            paths.AddRange(Directory.GetFiles(Path.GetDirectoryName(Path.GetFullPath(assembly))!, "*.dll"));
            foreach (var reference in references)
                paths.AddRange(Directory.Exists(reference) ? Directory.GetFiles(reference, "*.dll") : new[] { reference });
            return paths.Select(Path.GetFullPath).Distinct(StringComparer.OrdinalIgnoreCase);
        }
    }
}
