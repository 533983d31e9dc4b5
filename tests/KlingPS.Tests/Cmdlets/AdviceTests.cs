using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>The core's error says what happened; the ErrorRecord adds what to do, in the cmdlets' words.</summary>
public class AdviceTests
{
    [Fact]
    public async Task A_file_in_the_way_is_an_error_that_says_so_and_recommends_Force_and_the_file_is_kept()
    {
        await using var emulated = await Emulated.StartAsync();
        var image = emulated.Png("cat.png");
        var clips = Directory.CreateDirectory(Path.Combine(emulated.Folder, "clips")).FullName;
        var existing = Path.Combine(clips, "cat.mp4");
        File.WriteAllText(existing, "keep me");
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync("param($Image, $Clips) New-KlingImageVideo -LiteralPath $Image | Wait-KlingTask -PollIntervalSec 1 | Save-KlingVideo -Path $Clips",
            new() { ["Image"] = image, ["Clips"] = clips });

        Assert.False(run.Threw, run.Describe());
        var error = Assert.Single(run.Errors);
        Assert.Equal(existing + " already exists.", error.Exception.Message);
        Assert.Equal("Use -Force to replace it.", error.ErrorDetails?.RecommendedAction);
        Assert.Equal("keep me", File.ReadAllText(existing));
    }
}
