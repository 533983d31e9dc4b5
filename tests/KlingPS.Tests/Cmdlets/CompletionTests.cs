using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>Tab completion as PowerShell offers it (TabExpansion2): each route's own models.</summary>
public class CompletionTests
{
    private static async Task<IReadOnlyList<string>> CompleteAsync(HostedPowerShell powershell, string line)
    {
        var run = await powershell.RunAsync("param($Line) (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText",
            new() { ["Line"] = line });
        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        return run.Output.Select(o => o.ToString()).ToList();
    }

    [Fact]
    public async Task Model_completes_the_models_of_the_cmdlets_own_route()
    {
        using var powershell = await HostedPowerShell.OpenAsync();

        Assert.Equal(["kling-v1-6"], await CompleteAsync(powershell, "New-KlingMultiImageVideo -Model "));
        Assert.Equal(["kling-v1-6"], await CompleteAsync(powershell, "Get-ChildItem *.jpg | New-KlingMultiImageVideo -ModelName kl"));
        var single = await CompleteAsync(powershell, "New-KlingImageVideo -Model ");
        Assert.Equal(9, single.Count);
        Assert.Contains("kling-v2-6", single);
        Assert.Equal(["kling-v2-6", "kling-v2-5-turbo", "kling-v2-1-master", "kling-v2-1", "kling-v2-master"], await CompleteAsync(powershell, "New-KlingImageVideo -Model kling-v2"));
    }
}
