using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Xml.Linq;

namespace KlingPS.HelpGen
{
    /// <summary>
    /// Builds the MAML document in the shape of PowerShell's own *.dll-Help.xml files (and platyPS's output).
    /// Get-Help finds elements by local name under helpItems[@schema='maml'], but the maml/command/dev
    /// namespaces are kept exactly as in those files so that every MAML reader accepts it.
    /// </summary>
    internal sealed class MamlWriter
    {
        public static readonly XNamespace Msh = "http://msh";
        public static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        private static readonly XNamespace MSHelp = "http://msdn.microsoft.com/mshelp";

        private const string CommonParametersNote =
            "This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, " +
            "-OutBuffer, -OutVariable, -PipelineVariable, -Verbose, -WarningAction, and -WarningVariable (and -ProgressAction in PowerShell 7.4 and later). " +
            "For more information, see about_CommonParameters (https://go.microsoft.com/fwlink/?LinkID=113216).";

        private readonly DocComments _docs;
        private readonly Dictionary<string, DocComments?> _otherDocs = new Dictionary<string, DocComments?>(StringComparer.OrdinalIgnoreCase);
        /// <summary>Cmdlet names by the doc-comment id of their class (T:Namespace.Type), for &lt;seealso cref&gt;.</summary>
        private Dictionary<string, string> _cmdletNames = new Dictionary<string, string>();

        public MamlWriter(DocComments docs) { _docs = docs; }

        /// <summary>Doc comments that are missing; the build shows them as warnings.</summary>
        public List<string> Warnings { get; } = new List<string>();

        public XDocument Write(IReadOnlyList<CmdletModel> cmdlets)
        {
            _cmdletNames = cmdlets.ToDictionary(c => "T:" + c.Type.FullName!.Replace('+', '.'), c => c.Name);
            return new XDocument(new XDeclaration("1.0", "utf-8", null),
                new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), cmdlets.Select(WriteCommand)));
        }

        private XElement WriteCommand(CmdletModel cmdlet)
        {
            var docs = _docs.Type(cmdlet.Type);
            var summary = docs?.Element("summary");
            var synopsis = Require(DocComments.Paragraphs(summary, "synopsis"), $"{cmdlet.Name} ({cmdlet.Type.Name}) has no <para type=\"synopsis\">.");
            var description = Require(DocComments.Paragraphs(summary, "description"), $"{cmdlet.Name} ({cmdlet.Type.Name}) has no <para type=\"description\">.");
            var examples = docs?.Elements("example").ToList() ?? new List<XElement>();
            if (examples.Count == 0) Warnings.Add($"{cmdlet.Name} ({cmdlet.Type.Name}) has no <example>.");

            var parameters = cmdlet.Parameters.Select(p => (Model: p, Description: Require(
                DocComments.Paragraphs(_docs.Property(p.Property)?.Element("summary")),
                $"parameter -{p.Name} of {cmdlet.Name} ({p.Property.DeclaringType!.Name}.{p.Name}) has no <summary>."))).ToList();

            return new XElement(Command + "command",
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                new XAttribute(XNamespace.Xmlns + "MSHelp", MSHelp),
                new XElement(Command + "details",
                    new XElement(Command + "name", cmdlet.Name),
                    new XElement(Command + "verb", cmdlet.Verb),
                    new XElement(Command + "noun", cmdlet.Noun),
                    Description(synopsis)),
                Description(description),
                new XElement(Command + "syntax", cmdlet.ParameterSets.Select(set => SyntaxItem(cmdlet, set, parameters))),
                new XElement(Command + "parameters",
                    parameters.OrderBy(p => p.Model.Name, StringComparer.OrdinalIgnoreCase).Select(p => ParametersEntry(p.Model, p.Description)),
                    ShouldProcessParameters(cmdlet, inSyntax: false)),
                InputTypes(cmdlet),
                new XElement(Command + "returnValues", cmdlet.OutputTypes.Count == 0
                    ? new[] { TypeEntry("returnValue", "None", NoOutput) }
                    : cmdlet.OutputTypes.Select(o => TypeEntry("returnValue", o.Name, TypeSummary(o.Type)))),
                // Get-Help adds [<CommonParameters>] to the syntax itself; the note says what they are, as platyPS's help does.
                new XElement(Maml + "alertSet", new XElement(Maml + "alert", Para(CommonParametersNote))),
                new XElement(Command + "examples", examples.Select((example, i) => Example(cmdlet, example, i + 1))),
                RelatedLinks(cmdlet, docs));
        }

        /// <summary>
        /// The online version first (the cmdlet's HelpUri, which Get-Help -Online opens), then each &lt;seealso&gt; of the class:
        /// a cref to another cmdlet's class gives its name, a text (about_KlingPS) gives itself.
        /// </summary>
        private XElement RelatedLinks(CmdletModel cmdlet, XElement? docs)
        {
            var links = new List<XElement>();
            if (cmdlet.HelpUri != null) links.Add(Link("Online Version:", cmdlet.HelpUri));
            foreach (var see in docs?.Elements("seealso") ?? Enumerable.Empty<XElement>())
            {
                var cref = (string?)see.Attribute("cref");
                if (cref == null) links.Add(Link(DocComments.Text(see), string.Empty));
                else if (_cmdletNames.TryGetValue(cref, out var name)) links.Add(Link(name, string.Empty));
                else Warnings.Add($"{cmdlet.Name} ({cmdlet.Type.Name}) has a <seealso cref=\"{cref}\"> that is not a cmdlet.");
            }
            return new XElement(Maml + "relatedLinks", links);
        }

        private static XElement Link(string text, string uri) =>
            new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", text), new XElement(Maml + "uri", uri));

        private List<string> Require(List<string> paragraphs, string warning)
        {
            if (paragraphs.Count == 0) Warnings.Add(warning);
            return paragraphs;
        }

        /// <summary>One parameter set: positional parameters by position, then mandatory, then optional ones.</summary>
        private static XElement SyntaxItem(CmdletModel cmdlet, string set, List<(ParameterModel Model, List<string> Description)> parameters)
        {
            var inSet = parameters.Select(p => (p.Model, p.Description, Entry: p.Model.In(set)))
                .Where(p => p.Entry != null)
                .OrderBy(p => p.Entry!.Position ?? int.MaxValue)
                .ThenBy(p => p.Entry!.Mandatory ? 0 : 1)
                .ToList();
            return new XElement(Command + "syntaxItem",
                new XElement(Maml + "name", cmdlet.Name),
                inSet.Select(p => Parameter(p.Model, p.Description, p.Entry!.Mandatory, p.Entry.Position, p.Entry.ByValue, p.Entry.ByPropertyName, inSyntax: true)),
                ShouldProcessParameters(cmdlet, inSyntax: true));
        }

        /// <summary>The one entry of a parameter under PARAMETERS, summarising all its sets.</summary>
        private static XElement ParametersEntry(ParameterModel parameter, List<string> description)
        {
            var sets = parameter.Sets;
            return Parameter(parameter, description,
                mandatory: sets.All(s => s.Mandatory),
                position: sets.Select(s => s.Position).FirstOrDefault(p => p != null),
                byValue: sets.Any(s => s.ByValue),
                byPropertyName: sets.Any(s => s.ByPropertyName),
                inSyntax: false);
        }

        private static XElement Parameter(ParameterModel parameter, List<string> description, bool mandatory, int? position, bool byValue, bool byPropertyName, bool inSyntax)
        {
            var type = parameter.Type;
            var isSwitch = type.FullName == "System.Management.Automation.SwitchParameter";
            var enumType = Unwrap(type);
            return new XElement(Command + "parameter",
                new XAttribute("required", mandatory ? "true" : "false"),
                new XAttribute("variableLength", type.IsArray ? "true" : "false"),
                new XAttribute("globbing", parameter.Globbing ? "true" : "false"),
                new XAttribute("pipelineInput", PipelineInput(byValue, byPropertyName)),
                new XAttribute("position", position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named"),
                new XAttribute("aliases", parameter.Aliases.Length == 0 ? "none" : string.Join(", ", parameter.Aliases)),
                new XElement(Maml + "name", parameter.Name),
                Description(description),
                // Get-Help shows a switch in the syntax without a value, and an enum's values as {A | B}.
                inSyntax && isSwitch ? null : new XElement(Command + "parameterValue",
                    new XAttribute("required", isSwitch ? "false" : "true"),
                    new XAttribute("variableLength", type.IsArray ? "true" : "false"),
                    ShortName(type)),
                inSyntax && enumType.IsEnum ? new XElement(Command + "parameterValueGroup",
                    enumType.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => new XElement(Command + "parameterValue",
                        new XAttribute("required", "false"), new XAttribute(Command + "variableLength", "false"), f.Name))) : null,
                new XElement(Dev + "type", new XElement(Maml + "name", Unwrap(type).FullName), new XElement(Maml + "uri")),
                new XElement(Dev + "defaultValue", isSwitch ? "False" : parameter.Default ?? "None"));
        }

        /// <summary>-WhatIf and -Confirm, which PowerShell adds to every set of a SupportsShouldProcess cmdlet.</summary>
        private static IEnumerable<XElement> ShouldProcessParameters(CmdletModel cmdlet, bool inSyntax)
        {
            if (!cmdlet.SupportsShouldProcess) yield break;
            foreach (var (name, alias, text) in new[]
            {
                ("WhatIf", "wi", "Shows what would happen if the cmdlet runs. The cmdlet is not run."),
                ("Confirm", "cf", "Prompts you for confirmation before running the cmdlet."),
            })
            {
                yield return new XElement(Command + "parameter",
                    new XAttribute("required", "false"), new XAttribute("variableLength", "false"), new XAttribute("globbing", "false"),
                    new XAttribute("pipelineInput", "False"), new XAttribute("position", "named"), new XAttribute("aliases", alias),
                    new XElement(Maml + "name", name),
                    Description(new[] { text }),
                    inSyntax ? null : new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), "SwitchParameter"),
                    new XElement(Dev + "type", new XElement(Maml + "name", "System.Management.Automation.SwitchParameter"), new XElement(Maml + "uri")),
                    new XElement(Dev + "defaultValue", "False"));
            }
        }

        /// <summary>What can be piped in: each ByValue parameter's type, and objects whose properties bind by name.</summary>
        private static XElement InputTypes(CmdletModel cmdlet)
        {
            var byValue = cmdlet.Parameters.Where(p => p.Sets.Any(s => s.ByValue))
                .Select(p => TypeEntry("inputType", Unwrap(p.Type.IsArray ? p.Type.GetElementType()! : p.Type).FullName!,
                    new[] { $"You can pipe this to the -{p.Name} parameter." }));
            var byName = cmdlet.Parameters.Where(p => p.Sets.Any(s => s.ByPropertyName)).Select(p => "-" + p.Name).ToList();
            var entries = byValue.ToList();
            if (byName.Count > 0)
                entries.Add(TypeEntry("inputType", "System.Management.Automation.PSObject",
                    new[] { "Properties of piped objects bind by name to these parameters: " + string.Join(", ", byName) + "." }));
            if (entries.Count == 0) entries.Add(TypeEntry("inputType", "None", NoInput));
            return new XElement(Command + "inputTypes", entries);
        }

        private static readonly string[] NoOutput = { "This cmdlet writes no output." };
        private static readonly string[] NoInput = { "You cannot pipe objects to this cmdlet." };

        private static XElement TypeEntry(string element, string typeName, IEnumerable<string> description) =>
            new XElement(Command + element,
                new XElement(Dev + "type", new XElement(Maml + "name", typeName), new XElement(Maml + "uri")),
                Description(description));

        /// <summary>An output type's own summary, from the doc file next to the assembly that defines it (KlingPS.Core.xml).</summary>
        private IEnumerable<string> TypeSummary(Type? type)
        {
            if (type == null) return Array.Empty<string>();
            var location = type.Assembly.Location;
            if (!_otherDocs.TryGetValue(location, out var docs))
            {
                var path = Path.ChangeExtension(location, ".xml");
                _otherDocs[location] = docs = location.Length > 0 && File.Exists(path) ? new DocComments(path) : null;
            }
            return DocComments.Paragraphs(docs?.Type(type)?.Element("summary"));
        }

        private static XElement Example(CmdletModel cmdlet, XElement example, int number)
        {
            var remarks = DocComments.Paragraphs(new XElement("remarks", example.Nodes().Where(n => !(n is XElement e && e.Name == "code"))));
            return new XElement(Command + "example",
                new XElement(Maml + "title", $"-------------------------- EXAMPLE {number} --------------------------"),
                new XElement(Dev + "code", DocComments.Code(example.Element("code"))),
                new XElement(Dev + "remarks", remarks.Select(Para)));
        }

        private static XElement Description(IEnumerable<string> paragraphs) => new XElement(Maml + "description", paragraphs.Select(Para));

        private static XElement Para(string text) => new XElement(Maml + "para", text);

        private static string PipelineInput(bool byValue, bool byPropertyName) =>
            byValue && byPropertyName ? "True (ByValue, ByPropertyName)"
            : byValue ? "True (ByValue)"
            : byPropertyName ? "True (ByPropertyName)"
            : "False";

        /// <summary>int? is shown as Int32: PowerShell users pass the value, never the Nullable.</summary>
        private static Type Unwrap(Type type) =>
            type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? type.GetGenericArguments()[0] : type;

        private static string ShortName(Type type) =>
            type.IsArray ? ShortName(type.GetElementType()!) + "[]" : Unwrap(type).Name;
    }
}
