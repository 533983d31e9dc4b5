using System.Text.RegularExpressions;

namespace KlingPS.Tests.Compatibility;

/// <summary>
/// The manifest of the built module folder (out/KlingPS/KlingPS.psd1), the file Windows PowerShell 5.1,
/// PowerShell 7, the Gallery and Azure Automation read: editions, versions, explicit exports, Gallery metadata.
/// </summary>
public class ManifestTests
{
    private static readonly string Manifest = File.ReadAllText(Path.Combine(BuiltModule.Folder, "KlingPS.psd1"));

    private static string Value(string key)
    {
        var match = Regex.Match(Manifest, @"^\s*" + key + @"\s*=\s*'([^']*)'", RegexOptions.Multiline);
        Assert.True(match.Success, key + " is missing");
        return match.Groups[1].Value;
    }

    private static string[] List(string key)
    {
        var match = Regex.Match(Manifest, @"^\s*" + key + @"\s*=\s*@\(([^)]*)\)", RegexOptions.Multiline);
        Assert.True(match.Success, key + " is missing");
        return Regex.Matches(match.Groups[1].Value, "'([^']*)'").Select(m => m.Groups[1].Value).ToArray();
    }

    [Fact]
    public void Runs_on_Windows_PowerShell_5_1_and_PowerShell_7()
    {
        Assert.Equal(new[] { "Desktop", "Core" }, List("CompatiblePSEditions"));
        Assert.Equal("5.1", Value("PowerShellVersion"));
        // netstandard2.0 needs .NET Framework 4.6.1, and 4.7.2 to run without extra facades (Windows PowerShell 5.1).
        Assert.True(Version.Parse(Value("DotNetFrameworkVersion")) >= new Version(4, 7, 2));
        Assert.Equal("KlingPS.dll", Value("RootModule"));
    }

    [Fact]
    public void Exports_are_explicit()
    {
        Assert.Equal(10, List("CmdletsToExport").Length);
        Assert.All(List("CmdletsToExport"), name => Assert.Matches("^[A-Z][A-Za-z]+-Kling[A-Za-z]*$", name));
        foreach (var key in new[] { "FunctionsToExport", "AliasesToExport", "VariablesToExport" }) Assert.Empty(List(key));
        Assert.DoesNotContain("'*'", Manifest);
    }

    [Fact]
    public void Loads_no_dependency_into_the_shared_context()
    {
        // RequiredAssemblies or NestedModules naming a dependency would load it where other modules' copies collide.
        Assert.DoesNotMatch(@"(?m)^\s*(RequiredAssemblies|NestedModules)\s*=", Manifest);
    }

    [Fact]
    public void Has_the_Gallery_metadata_and_its_licence()
    {
        var tags = List("Tags");
        Assert.Contains("PSEdition_Desktop", tags);
        Assert.Contains("PSEdition_Core", tags);
        Assert.All(tags, tag => Assert.DoesNotContain(" ", tag));
        foreach (var key in new[] { "ProjectUri", "LicenseUri" })
            Assert.Equal(Uri.UriSchemeHttps, new Uri(Value(key)).Scheme);
        Assert.NotEmpty(Value("ReleaseNotes").Trim());
        Assert.True(new FileInfo(Path.Combine(BuiltModule.Folder, "LICENSE")).Length > 0, "out/KlingPS/LICENSE");
    }

    [Fact]
    public void The_built_manifest_is_the_source_manifest()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(Support.Repository.Root, "KlingPS.psd1")), Manifest);
    }
}
