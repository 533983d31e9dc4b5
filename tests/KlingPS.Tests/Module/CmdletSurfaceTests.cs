using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using KlingPS.Commands;

namespace KlingPS.Tests.Module;

/// <summary>
/// The PowerShell surface, read from the attributes' metadata (CustomAttributeData: what the compiled module declares,
/// whichever System.Management.Automation the process holds; Cmdlets/ runs the cmdlets themselves): approved verbs,
/// OutputType, ShouldProcess where credits are spent, pipeline binding, and the manifest's exports.
/// </summary>
public class CmdletSurfaceTests
{
    private static readonly Type[] Cmdlets = typeof(NewKlingImageVideoCommand).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(Cmdlet).IsAssignableFrom(t)).OrderBy(t => t.Name).ToArray();

    private static CmdletInfo Attr(Type t)
    {
        var data = t.CustomAttributes.Single(a => a.AttributeType == typeof(CmdletAttribute));
        return new CmdletInfo((string)data.ConstructorArguments[0].Value!, (string)data.ConstructorArguments[1].Value!,
            Named(data, "SupportsShouldProcess") as bool? ?? false, Named(data, "ConfirmImpact") is int impact ? (ConfirmImpact)impact : ConfirmImpact.Medium);
    }

    private sealed record CmdletInfo(string VerbName, string NounName, bool SupportsShouldProcess, ConfirmImpact ConfirmImpact);

    private static object? Named(CustomAttributeData a, string name) =>
        a.NamedArguments.Where(n => n.MemberName == name).Select(n => n.TypedValue.Value).FirstOrDefault();

    /// <summary>Each [Parameter] of a property, as its named arguments.</summary>
    private static List<CustomAttributeData> Params(PropertyInfo p) => p.CustomAttributes.Where(a => a.AttributeType == typeof(ParameterAttribute)).ToList();

    private static bool Flag(CustomAttributeData a, string name) => Named(a, name) as bool? ?? false;

    private static string[] Aliases(PropertyInfo p) =>
        p.CustomAttributes.Where(a => a.AttributeType == typeof(AliasAttribute))
            .SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (string)v.Value!).ToArray();

    public static IEnumerable<object[]> CmdletTypes() => Cmdlets.Select(t => new object[] { t });

    [Fact]
    public void Every_cmdlet_class_is_named_after_its_cmdlet_and_lives_in_its_own_file()
    {
        Assert.Equal(10, Cmdlets.Length);
        foreach (var t in Cmdlets)
        {
            var a = Attr(t);
            Assert.Equal(a.VerbName + a.NounName + "Command", t.Name);
            Assert.True(File.Exists(Path.Combine(Support.Repository.Root, "src", "KlingPS", "Commands", t.Name + ".cs")), t.Name + ".cs");
        }
    }

    [Theory]
    [MemberData(nameof(CmdletTypes))]
    public void Verbs_are_approved_and_output_is_declared(Type cmdlet)
    {
        var approved = new[] { typeof(VerbsCommon), typeof(VerbsCommunications), typeof(VerbsData), typeof(VerbsLifecycle), typeof(VerbsDiagnostic), typeof(VerbsOther), typeof(VerbsSecurity) }
            .SelectMany(v => v.GetFields(BindingFlags.Public | BindingFlags.Static)).Select(f => (string)f.GetValue(null)!).ToHashSet();
        Assert.Contains(Attr(cmdlet).VerbName, approved);
        Assert.Contains(cmdlet.CustomAttributes, a => a.AttributeType == typeof(OutputTypeAttribute));
    }

    [Theory]
    [InlineData(typeof(NewKlingImageVideoCommand))]
    [InlineData(typeof(NewKlingMultiImageVideoCommand))]
    [InlineData(typeof(SaveKlingVideoCommand))]
    public void Commands_that_spend_or_write_support_WhatIf_without_prompting_runbooks(Type cmdlet)
    {
        Assert.True(Attr(cmdlet).SupportsShouldProcess);
        Assert.NotEqual(ConfirmImpact.High, Attr(cmdlet).ConfirmImpact);
    }

    [Fact]
    public void Files_from_Get_ChildItem_bind_by_PSPath_and_csv_columns_bind_by_name()
    {
        var literal = typeof(NewKlingImageVideoCommand).GetProperty("LiteralPath")!;
        Assert.Contains("PSPath", Aliases(literal));
        Assert.Contains("FullName", Aliases(literal));
        Assert.True(Flag(Params(literal).Single(), "ValueFromPipelineByPropertyName"));
        foreach (var name in new[] { "Path", "Prompt", "NegativePrompt", "Model", "Mode", "Duration", "CfgScale", "ImageTail", "StaticMask", "DynamicMask", "CallbackUrl", "ExternalTaskId" })
        {
            var p = typeof(NewKlingImageVideoCommand).GetProperty(name)!;
            Assert.NotEmpty(Params(p));
            Assert.All(Params(p), a => Assert.True(Flag(a, "ValueFromPipelineByPropertyName"), name));
        }
        Assert.True(Flag(Params(typeof(NewKlingImageVideoCommand).GetProperty("Path")!).Single(), "ValueFromPipeline"));
        Assert.True(Flag(Params(typeof(GetKlingTaskCommand).GetProperty("TaskId")!).Single(), "ValueFromPipelineByPropertyName"));
        Assert.True(Flag(Params(typeof(WaitKlingTaskCommand).GetProperty("Task")!).Single(), "ValueFromPipeline"));
        Assert.True(Flag(Params(typeof(SaveKlingVideoCommand).GetProperty("Task")!).Single(), "ValueFromPipeline"));
    }

    [Fact]
    public void Each_parameter_set_has_one_pipeline_by_value_parameter_at_most()
    {
        foreach (var t in Cmdlets)
        {
            var byValue = t.GetProperties().SelectMany(p => Params(p).Select(a => (p, a)))
                .Where(x => Flag(x.a, "ValueFromPipeline")).GroupBy(x => Named(x.a, "ParameterSetName") as string ?? "__AllParameterSets");
            Assert.All(byValue, g => Assert.Single(g));
        }
    }

    [Fact]
    public void Tab_completion_is_offered_for_model_mode_and_duration()
    {
        foreach (var cmdlet in new[] { typeof(NewKlingImageVideoCommand), typeof(NewKlingMultiImageVideoCommand) })
            foreach (var name in new[] { "Model", "Mode", "Duration" })
                Assert.Contains(cmdlet.GetProperty(name)!.CustomAttributes, a => a.AttributeType == typeof(ArgumentCompleterAttribute));
        var completions = new KlingPS.Infrastructure.ImageVideoModelCompleter().Matches("kling-v2-").ToList();
        Assert.Contains("kling-v2-6", completions);
        Assert.DoesNotContain("kling-v1", completions);
    }

    [Fact]
    public void The_manifest_exports_exactly_the_cmdlets_and_the_format_file()
    {
        var manifest = File.ReadAllText(Path.Combine(Support.Repository.Root, "KlingPS.psd1"));
        var block = Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\(([^)]*)\)").Groups[1].Value;
        var exported = Regex.Matches(block, "'([^']+)'").Select(m => m.Groups[1].Value).OrderBy(x => x);
        Assert.Equal(Cmdlets.Select(t => Attr(t).VerbName + "-" + Attr(t).NounName).OrderBy(x => x), exported);
        Assert.Contains("FormatsToProcess     = @('KlingPS.format.ps1xml')", manifest);
        Assert.Matches(@"FunctionsToExport\s*=\s*@\(\)", manifest);
        Assert.DoesNotContain("'*'", manifest);
    }

    [Fact]
    public void The_built_module_folder_has_the_manifest_assemblies_format_and_isolated_dependencies()
    {
        var module = Support.Repository.ModuleFolder;
        foreach (var f in new[] { "KlingPS.psd1", "KlingPS.dll", "KlingPS.Core.dll", "KlingPS.format.ps1xml", "LICENSE", "dependencies/System.Text.Json.dll" })
            Assert.True(File.Exists(Path.Combine(module, f)), f);
        Assert.False(File.Exists(Path.Combine(module, "System.Text.Json.dll")), "third-party assemblies belong in dependencies/");
        Assert.False(File.Exists(Path.Combine(module, "dependencies", "System.Management.Automation.dll")));
        System.Xml.Linq.XDocument.Load(Path.Combine(module, "KlingPS.format.ps1xml"));
    }

    [Fact]
    public void The_version_comes_from_the_manifest()
    {
        var manifest = File.ReadAllText(Path.Combine(Support.Repository.Root, "KlingPS.psd1"));
        var version = Regex.Match(manifest, @"ModuleVersion\s*=\s*'([0-9.]+)'").Groups[1].Value;
        Assert.Equal(version, typeof(KlingClient).Assembly.GetName().Version!.ToString(3));
    }

    [Fact]
    public void Output_types_hold_no_serializer_types()
    {
        foreach (var t in new[] { typeof(KlingTask), typeof(KlingVideo), typeof(KlingContextInfo), typeof(DynamicMask) })
            Assert.All(t.GetProperties(), p => Assert.DoesNotContain("System.Text.Json", p.PropertyType.FullName ?? string.Empty));
    }
}
