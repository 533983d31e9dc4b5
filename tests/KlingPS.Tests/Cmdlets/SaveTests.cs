using System.Management.Automation;
using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>Save-KlingVideo in real PowerShell: the size limit, and which file each video goes to.</summary>
public class SaveTests
{
    [Fact]
    public async Task A_video_over_MaximumVideoSizeMB_is_a_VideoTooLarge_error_and_nothing_is_kept()
    {
        await using var emulated = await Emulated.StartAsync();
        var image = emulated.Png("cat.png");
        var clips = Path.Combine(emulated.Folder, "clips");
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);
        var finished = await powershell.RunAsync("param($Image) New-KlingImageVideo -LiteralPath $Image | Wait-KlingTask -PollIntervalSec 1", new() { ["Image"] = image });
        var task = Assert.Single(finished.Objects<KlingTask>());
        emulated.Emulator.Options.Faults.Add(FaultRule.EndlessBody().ForTarget(FaultTarget.Download));

        var run = await powershell.RunAsync("param($Task, $Clips) $Task | Save-KlingVideo -Path $Clips -MaximumVideoSizeMB 1", new() { ["Task"] = task, ["Clips"] = clips });

        Assert.False(run.Threw, run.Describe());
        Assert.Empty(run.Output);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("VideoTooLarge,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
        Assert.Contains("larger than the 1 MB limit", error.Exception.Message);
        Assert.Equal("If the video is meant to be that large, raise the limit with Save-KlingVideo -MaximumVideoSizeMB.", error.ErrorDetails?.RecommendedAction);
        Assert.Single(emulated.Emulator.Log.Entries, l => l.Path.StartsWith("/files/", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(clips));
    }
}
