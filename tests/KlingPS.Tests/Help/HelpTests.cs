using System.Management.Automation;
using System.Reflection;
using System.Xml.Linq;
using Xunit;

namespace KlingPS.Tests.Help;

/// <summary>
/// Checks the generated out/KlingPS/en-US/KlingPS.dll-Help.xml against the cmdlets themselves: every cmdlet and every
/// parameter found by reflection must be documented there, so a cmdlet or parameter added without doc comments fails here.
/// Attributes are read as CustomAttributeData: what the compiled module declares, as HelpGen reads it.
/// </summary>
public sealed class HelpTests
{
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static readonly Lazy<XDocument> Help = new(() =>
    {
        var path = Path.Combine(Support.Repository.ModuleFolder, "en-US", "KlingPS.dll-Help.xml");
        Assert.True(File.Exists(path), $"{path} is missing: building src/KlingPS writes it (target KlingHelp).");
        return XDocument.Load(path);
    });

    private static IEnumerable<Type> CmdletTypes() =>
        typeof(KlingPS.Commands.GetKlingTaskCommand).Assembly.GetTypes()
            .Where(t => t.IsPublic && !t.IsAbstract && Attributes<CmdletAttribute>(t).Any());

    public static TheoryData<string> Cmdlets()
    {
        var data = new TheoryData<string>();
        foreach (var type in CmdletTypes()) data.Add(type.Name);
        return data;
    }

    [Fact]
    public void HelpFileIsMaml()
    {
        var root = Help.Value.Root!;
        Assert.Equal("helpItems", root.Name.LocalName);
        Assert.Equal("maml", (string?)root.Attribute("schema"));
        var commands = root.Elements().ToList();
        Assert.NotEmpty(commands);
        Assert.All(commands, c => Assert.Equal(Command + "command", c.Name));
        Assert.All(commands, c =>
        {
            Assert.NotNull(c.Element(Command + "details")?.Element(Command + "name"));
            Assert.NotNull(c.Element(Command + "syntax"));
            Assert.NotNull(c.Element(Command + "parameters"));
            Assert.NotNull(c.Element(Command + "examples"));
        });
    }

    [Fact]
    public void EveryCmdletHasHelpAndNoOtherCommandDoes()
    {
        var expected = CmdletTypes().Select(NameOf).OrderBy(n => n).ToList();
        var documented = Help.Value.Root!.Elements(Command + "command")
            .Select(c => (string)c.Element(Command + "details")!.Element(Command + "name")!).OrderBy(n => n).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, documented);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void HasSynopsisAndDescription(string cmdlet)
    {
        var help = CommandHelp(cmdlet);
        Assert.False(string.IsNullOrWhiteSpace(Paras(help.Element(Command + "details")!.Element(Maml + "description"))),
            $"{cmdlet}: no synopsis (<para type=\"synopsis\"> in the class's <summary>).");
        Assert.False(string.IsNullOrWhiteSpace(Paras(help.Element(Maml + "description"))),
            $"{cmdlet}: no description (<para type=\"description\"> in the class's <summary>).");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void HasAtLeastTwoExamplesWithCodeAndRemarks(string cmdlet)
    {
        var examples = CommandHelp(cmdlet).Element(Command + "examples")!.Elements(Command + "example").ToList();
        Assert.True(examples.Count >= 2, $"{cmdlet}: {examples.Count} <example>(s); at least 2 wanted.");
        Assert.All(examples, e =>
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)e.Element(Dev + "code")), $"{cmdlet}: an example without <code>.");
            Assert.False(string.IsNullOrWhiteSpace(Paras(e.Element(Dev + "remarks"))), $"{cmdlet}: an example without a <para> saying what it does.");
            Assert.Matches("^-+ EXAMPLE [0-9]+ -+$", (string?)e.Element(Maml + "title"));
        });
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void EveryParameterIsDescribed(string cmdlet)
    {
        var type = CmdletTypes().Single(t => t.Name == cmdlet);
        var entries = CommandHelp(cmdlet).Element(Command + "parameters")!.Elements(Command + "parameter")
            .ToDictionary(p => (string)p.Element(Maml + "name")!, p => Paras(p.Element(Maml + "description")));

        var undocumented = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => Attributes<ParameterAttribute>(p).Any(a => Named(a, "DontShow") is not true))
            .Select(p => p.Name)
            .Where(name => !entries.TryGetValue(name, out var text) || string.IsNullOrWhiteSpace(text))
            .ToList();
        Assert.True(undocumented.Count == 0, $"{cmdlet}: parameters without a <summary>: {string.Join(", ", undocumented)}.");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void SyntaxHasOneItemPerParameterSetAndShouldProcessParameters(string cmdlet)
    {
        var type = CmdletTypes().Single(t => t.Name == cmdlet);
        var shouldProcess = Named(Attributes<CmdletAttribute>(type).Single(), "SupportsShouldProcess") is true;
        var sets = type.GetProperties().SelectMany(p => Attributes<ParameterAttribute>(p))
            .Select(a => Named(a, "ParameterSetName")).OfType<string>().Distinct().Count();
        var items = CommandHelp(cmdlet).Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
        Assert.Equal(Math.Max(sets, 1), items.Count);

        foreach (var name in new[] { "WhatIf", "Confirm" })
        {
            Assert.All(items, i => Assert.Equal(shouldProcess,
                i.Elements(Command + "parameter").Any(p => (string?)p.Element(Maml + "name") == name)));
        }
    }

    private static XElement CommandHelp(string typeName)
    {
        var name = NameOf(CmdletTypes().Single(t => t.Name == typeName));
        var help = Help.Value.Root!.Elements(Command + "command")
            .SingleOrDefault(c => (string?)c.Element(Command + "details")?.Element(Command + "name") == name);
        Assert.True(help != null, $"{name} has no <command:command> in the help file.");
        return help!;
    }

    private static string NameOf(Type type)
    {
        var attribute = Attributes<CmdletAttribute>(type).Single();
        return attribute.ConstructorArguments[0].Value + "-" + attribute.ConstructorArguments[1].Value;
    }

    private static IEnumerable<CustomAttributeData> Attributes<T>(MemberInfo member) =>
        member.GetCustomAttributesData().Where(a => a.AttributeType == typeof(T));

    private static object? Named(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => a.TypedValue.Value).FirstOrDefault();

    private static string Paras(XElement? description) =>
        description == null ? string.Empty : string.Join(" ", description.Elements(Maml + "para").Select(p => p.Value)).Trim();
}
