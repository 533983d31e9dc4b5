using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Xml.Linq;

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

    /// <summary>One parameter's attributes in one parameter set.</summary>
    internal sealed record SetEntry(string Set, bool Mandatory, int? Position, bool ByValue, bool ByPropertyName);

    internal sealed record ParameterModel(PropertyInfo Property, string[] Aliases, bool Globbing, List<SetEntry> Sets)
    {
        public string Name => Property.Name;
        public Type Type => Property.PropertyType;

        /// <summary>The attributes that apply in a set: the set's own [Parameter], else the one for all sets.</summary>
        public SetEntry? In(string set) =>
            Sets.FirstOrDefault(s => s.Set == set) ?? Sets.FirstOrDefault(s => s.Set == CmdletReader.AllSets);
    }

    /// <summary>An [OutputType]: a type, or only a name when the attribute gives a string.</summary>
    internal sealed record OutputModel(string Name, Type? Type);

    internal sealed record CmdletModel(Type Type, string Verb, string Noun, bool SupportsShouldProcess,
        List<string> ParameterSets, List<ParameterModel> Parameters, List<OutputModel> OutputTypes)
    {
        public string Name => Verb + "-" + Noun;
    }

    /// <summary>Reads cmdlets by their attributes' metadata (CustomAttributeData), as no type can be instantiated here.</summary>
    internal static class CmdletReader
    {
        public const string AllSets = "__AllParameterSets";
        private const string Sma = "System.Management.Automation.";

        public static List<CmdletModel> Read(Assembly assembly)
        {
            Type[] types;
            try { types = assembly.GetTypes(); }
            catch (ReflectionTypeLoadException e) { types = e.Types.Where(t => t != null).ToArray()!; }

            var cmdlets = new List<CmdletModel>();
            foreach (var type in types.Where(t => t.IsPublic && !t.IsAbstract))
            {
                var cmdlet = Attribute(type, "CmdletAttribute");
                if (cmdlet == null) continue;
                var parameters = ReadParameters(type);
                cmdlets.Add(new CmdletModel(type,
                    (string)cmdlet.ConstructorArguments[0].Value!,
                    (string)cmdlet.ConstructorArguments[1].Value!,
                    Named(cmdlet, "SupportsShouldProcess") is true,
                    ParameterSets(parameters, Named(cmdlet, "DefaultParameterSetName") as string),
                    parameters,
                    OutputTypes(type)));
            }
            return cmdlets.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
        }

        private static List<ParameterModel> ReadParameters(Type type)
        {
            var result = new List<ParameterModel>();
            // Most derived first, as PowerShell binds them; a property hidden with 'new' counts once.
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (result.Any(p => p.Name == property.Name)) continue;
                var attributes = property.GetCustomAttributesData();
                var sets = attributes.Where(a => a.AttributeType.FullName == Sma + "ParameterAttribute")
                    .Where(a => Named(a, "DontShow") is not true)
                    .Select(a => new SetEntry(
                        Named(a, "ParameterSetName") as string ?? AllSets,
                        Named(a, "Mandatory") is true,
                        Named(a, "Position") is int position && position != int.MinValue ? position : null,
                        Named(a, "ValueFromPipeline") is true,
                        Named(a, "ValueFromPipelineByPropertyName") is true))
                    .ToList();
                if (sets.Count == 0) continue;
                var alias = attributes.FirstOrDefault(a => a.AttributeType.FullName == Sma + "AliasAttribute");
                result.Add(new ParameterModel(property,
                    alias == null ? Array.Empty<string>() : Values(alias.ConstructorArguments[0]).Cast<string>().ToArray(),
                    attributes.Any(a => a.AttributeType.FullName == Sma + "SupportsWildcardsAttribute"),
                    sets));
            }
            return result;
        }

        /// <summary>The named sets, the default first; a cmdlet without named sets has the one set of all parameters.</summary>
        private static List<string> ParameterSets(List<ParameterModel> parameters, string? defaultSet)
        {
            var sets = parameters.SelectMany(p => p.Sets).Select(s => s.Set).Where(s => s != AllSets).Distinct().ToList();
            if (defaultSet != null && sets.Remove(defaultSet)) sets.Insert(0, defaultSet);
            return sets.Count == 0 ? new List<string> { AllSets } : sets;
        }

        private static List<OutputModel> OutputTypes(Type type) =>
            type.GetCustomAttributesData()
                .Where(a => a.AttributeType.FullName == Sma + "OutputTypeAttribute")
                .SelectMany(a => Values(a.ConstructorArguments[0]))
                .Select(v => v is Type t ? new OutputModel(t.FullName!, t) : new OutputModel((string)v!, null))
                .Where(o => o.Name != "System.Void")
                .Distinct()
                .ToList();

        public static CustomAttributeData? Attribute(MemberInfo member, string name) =>
            member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == Sma + name);

        private static object? Named(CustomAttributeData attribute, string name) =>
            attribute.NamedArguments.Where(n => n.MemberName == name).Select(n => n.TypedValue.Value).FirstOrDefault();

        /// <summary>A params array argument ([Alias("a", "b")], [OutputType(typeof(T))]) or a single value.</summary>
        private static IEnumerable<object?> Values(CustomAttributeTypedArgument argument) =>
            argument.Value is IEnumerable<CustomAttributeTypedArgument> items ? items.Select(i => i.Value) : new[] { argument.Value };
    }

    /// <summary>The compiler's XML documentation file, by member id (T:Namespace.Type, P:Namespace.Type.Property).</summary>
    internal sealed class DocComments
    {
        private readonly Dictionary<string, XElement> _members;

        public DocComments(string path)
        {
            _members = XDocument.Load(path).Descendants("member")
                .Where(m => m.Attribute("name") != null)
                .GroupBy(m => m.Attribute("name")!.Value)
                .ToDictionary(g => g.Key, g => g.First());
        }

        public XElement? Type(Type type) => Find("T:" + Id(type));

        /// <summary>A property's docs, else those of the member it overrides (base classes declare shared parameters).</summary>
        public XElement? Property(PropertyInfo property)
        {
            for (var type = property.DeclaringType; type != null; type = type.BaseType)
            {
                var member = Find("P:" + Id(type) + "." + property.Name);
                if (member != null && Text(member.Element("summary")).Length > 0) return member;
            }
            return null;
        }

        private XElement? Find(string id) => _members.TryGetValue(id, out var member) ? member : null;

        private static string Id(Type type) => type.FullName!.Replace('+', '.');

        /// <summary>
        /// Paragraphs of a doc element: its &lt;para&gt; children (only those of paraType when given), else its text.
        /// </summary>
        public static List<string> Paragraphs(XElement? element, string? paraType = null)
        {
            if (element == null) return new List<string>();
            var paras = element.Elements("para").Where(p => paraType == null || (string?)p.Attribute("type") == paraType).Select(p => Text(p));
            if (paraType == null)
            {
                // Text outside the paras (or all of it, when there are none) is a paragraph of its own.
                var loose = Text(new XElement("loose", element.Nodes().Where(n => !(n is XElement e && e.Name == "para"))));
                paras = paras.Prepend(loose);
            }
            return paras.Where(t => t.Length > 0).ToList();
        }

        /// <summary>Flowing text: line breaks and the comments' indentation become single spaces; cref and paramref become names.</summary>
        public static string Text(XElement? element)
        {
            if (element == null) return string.Empty;
            var text = string.Concat(element.Nodes().Select(node => node switch
            {
                XText t => t.Value,
                XElement e when e.Name == "paramref" || e.Name == "typeparamref" => "-" + (string?)e.Attribute("name"),
                XElement e when (e.Name == "see" || e.Name == "seealso") && !e.Nodes().Any() =>
                    (string?)e.Attribute("langword") ?? ShortCref((string?)e.Attribute("cref") ?? (string?)e.Attribute("href") ?? ""),
                XElement e => " " + Text(e) + " ",
                _ => string.Empty,
            }));
            return Regex.Replace(text, @"\s+", " ").Trim();
        }

        private static string ShortCref(string cref)
        {
            var name = cref.Contains(':') ? cref.Substring(cref.IndexOf(':') + 1) : cref;
            var paren = name.IndexOf('(');
            if (paren >= 0) name = name.Substring(0, paren);
            return name.Substring(name.LastIndexOf('.') + 1);
        }

        /// <summary>Example code keeps its lines but loses the indentation the doc comment gave them.</summary>
        public static string Code(XElement? code)
        {
            if (code == null) return string.Empty;
            var lines = code.Value.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd()).ToList();
            while (lines.Count > 0 && lines[0].Trim().Length == 0) lines.RemoveAt(0);
            while (lines.Count > 0 && lines[^1].Trim().Length == 0) lines.RemoveAt(lines.Count - 1);
            if (lines.Count == 0) return string.Empty;
            // The first line starts right after <code>; the others carry the comment's indentation.
            var indent = lines.Skip(1).Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
            return string.Join("\n", lines.Select((l, i) => i == 0 ? l.TrimStart() : l.Length >= indent ? l.Substring(indent) : l.TrimStart()));
        }
    }
}
