using System.Management.Automation;
using System.Reflection;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>The help as Get-Help shows it in real PowerShell: defaults, related links, the online version, about_KlingPS.</summary>
public class GetHelpTests
{
    private static IEnumerable<Type> Cmdlets() =>
        typeof(KlingPS.Commands.GetKlingTaskCommand).Assembly.GetTypes().Where(t => t.IsPublic && !t.IsAbstract && t.GetCustomAttribute<CmdletAttribute>() != null);

    private static string NameOf(Type cmdlet) => cmdlet.GetCustomAttribute<CmdletAttribute>()!.VerbName + "-" + cmdlet.GetCustomAttribute<CmdletAttribute>()!.NounName;

    [Fact]
    public async Task Every_parameter_with_a_default_shows_it_and_the_others_show_None()
    {
        using var powershell = await HostedPowerShell.OpenAsync();
        var expected = Cmdlets().SelectMany(c => c.GetProperties()
                .Where(p => p.GetCustomAttribute<ParameterAttribute>() != null && p.PropertyType != typeof(SwitchParameter))
                .Select(p => (Cmdlet: NameOf(c), Parameter: p.Name, Default: p.GetCustomAttribute<PSDefaultValueAttribute>() is { } d ? d.Help ?? d.Value.ToString()! : "None")))
            .OrderBy(x => x.Cmdlet).ThenBy(x => x.Parameter).ToList();
        Assert.Contains(("New-KlingImageVideo", "ThrottleLimit", "5"), expected);
        Assert.Contains(("Save-KlingVideo", "ThrottleLimit", "4"), expected);
        Assert.Contains(("New-KlingMultiImageVideo", "Mode", "std (the service's default)"), expected);

        var run = await powershell.RunAsync("""
            param($Names)
            foreach ($name in $Names) { foreach ($p in (Get-Help $name).parameters.parameter) { "$name|$($p.name)|$($p.defaultValue)" } }
            """, new() { ["Names"] = Cmdlets().Select(NameOf).ToArray() });

        var shown = run.Output.Select(o => o.ToString().Split('|')).Select(f => (Cmdlet: f[0], Parameter: f[1], Default: f[2]))
            .Where(x => expected.Any(e => e.Cmdlet == x.Cmdlet && e.Parameter == x.Parameter))
            .OrderBy(x => x.Cmdlet).ThenBy(x => x.Parameter).ToList();
        Assert.Equal(expected, shown);
    }

    [Fact]
    public async Task Every_cmdlet_links_its_online_version_first_then_related_cmdlets_and_about_KlingPS()
    {
        using var powershell = await HostedPowerShell.OpenAsync();

        var run = await powershell.RunAsync("""
            foreach ($command in Get-Command -Module KlingPS) {
                $links = @((Get-Help $command.Name).relatedLinks.navigationLink)
                [pscustomobject]@{ Name = $command.Name; HelpUri = $command.HelpUri; First = $links[0].linkText; FirstUri = $links[0].uri; Others = @($links | Select-Object -Skip 1 | ForEach-Object linkText) }
            }
            """);

        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        var names = Cmdlets().Select(NameOf).ToHashSet();
        Assert.Equal(names.Count, run.Output.Count);
        foreach (var help in run.Output)
        {
            string Text(string property) => help.Properties[property].Value?.ToString() ?? "";
            Assert.Equal("https://github.com/klingps/KlingPS/blob/main/README.md#cmdlets", Text("HelpUri"));
            Assert.Equal(("Online Version:", Text("HelpUri")), (Text("First"), Text("FirstUri")));
            var others = ((object[])help.Properties["Others"].Value).Select(o => o.ToString()!).ToList();
            Assert.Equal("about_KlingPS", others[^1]);
            Assert.NotEmpty(others.SkipLast(1));
            Assert.All(others.SkipLast(1), link => Assert.Contains(link, names));
        }
    }

    [Fact]
    public async Task About_KlingPS_covers_keys_batches_and_the_journal_the_emulator_and_troubleshooting()
    {
        using var powershell = await HostedPowerShell.OpenAsync();

        var run = await powershell.RunAsync("Get-Help about_KlingPS | Out-String");

        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        var text = Assert.Single(run.Output).ToString();
        Assert.StartsWith("TOPIC", text.TrimStart());
        foreach (var section in new[] { "SHORT DESCRIPTION", "KEYS", "BATCHES AND THE JOURNAL", "THE EMULATOR", "TROUBLESHOOTING", "SEE ALSO" })
            Assert.Contains("\n" + section + "\n", text.Replace("\r\n", "\n"));
    }
}
