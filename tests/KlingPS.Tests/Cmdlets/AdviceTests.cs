using System.Management.Automation;
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
        Assert.StartsWith("FileExists,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.Equal(existing + " already exists.", error.Exception.Message);
        Assert.Equal("Use -Force to replace it.", error.ErrorDetails?.RecommendedAction);
        Assert.Equal("keep me", File.ReadAllText(existing));
    }

    [Fact]
    public async Task A_task_not_finished_is_a_NoVideo_error_for_that_task_not_a_service_refusal()
    {
        await using var emulated = await Emulated.StartAsync(o => o.GenerationTime = TimeSpan.FromMinutes(5));
        var image = emulated.Png("cat.png");
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync("param($Image, $Clips) New-KlingImageVideo -LiteralPath $Image | Save-KlingVideo -Path $Clips",
            new() { ["Image"] = image, ["Clips"] = Path.Combine(emulated.Folder, "clips") });

        Assert.False(run.Threw, run.Describe());
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("NoVideo,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Equal(emulated.Emulator.Tasks.Single().TaskId, Assert.IsType<KlingTask>(error.TargetObject).TaskId);
        Assert.DoesNotContain(emulated.Emulator.Log.Entries, l => l.Path.StartsWith("/files/", StringComparison.Ordinal));
    }
}
