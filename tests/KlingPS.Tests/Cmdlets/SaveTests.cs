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

    [Fact]
    public async Task A_multi_image_video_is_named_after_all_its_images_beside_the_single_image_video_of_the_first()
    {
        await using var emulated = await Emulated.StartAsync();
        var cat = emulated.Png("cat.png");
        var dog = emulated.Png("dog.png", 700, 500);
        var clips = Path.Combine(emulated.Folder, "clips");
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync("""
            param($Cat, $Dog, $Clips)
            New-KlingMultiImageVideo -LiteralPath $Cat, $Dog -Prompt 'they meet' | Wait-KlingTask -PollIntervalSec 1 | Save-KlingVideo -Path $Clips
            New-KlingImageVideo -LiteralPath $Cat | Wait-KlingTask -PollIntervalSec 1 | Save-KlingVideo -Path $Clips
            """, new() { ["Cat"] = cat, ["Dog"] = dog, ["Clips"] = clips });

        Assert.False(run.Threw || run.Errors.Count > 0 || run.Warnings.Count > 0, run.Describe());
        Assert.Equal(["cat+dog.mp4", "cat.mp4"], run.Objects<FileInfo>().Select(f => f.Name));
        Assert.Equal(2, Directory.GetFiles(clips).Length);
    }

    [Fact]
    public async Task Two_images_named_alike_get_a_file_each_with_a_warning_and_a_re_run_writes_both_files_without_downloading()
    {
        await using var emulated = await Emulated.StartAsync();
        Directory.CreateDirectory(Path.Combine(emulated.Folder, "a"));
        Directory.CreateDirectory(Path.Combine(emulated.Folder, "b"));
        emulated.Png(Path.Combine("a", "cat.png"));
        emulated.Png(Path.Combine("b", "cat.png"), 700, 500);
        var clips = Path.Combine(emulated.Folder, "clips");
        var journal = Path.Combine(emulated.Folder, "batch.journal");
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);
        var parameters = new Dictionary<string, object?> { ["Folder"] = emulated.Folder, ["Clips"] = clips, ["Journal"] = journal };

        var first = await powershell.RunAsync("""
            param($Folder, $Clips, $Journal)
            Get-ChildItem -LiteralPath $Folder -Recurse -Filter cat.png | New-KlingImageVideo -JournalPath $Journal |
                Wait-KlingTask -PollIntervalSec 1 | Save-KlingVideo -Path $Clips -JournalPath $Journal
            """, parameters);

        Assert.False(first.Threw || first.Errors.Count > 0, first.Describe());
        var files = first.Objects<FileInfo>().Select(f => f.Name).Order().ToList();
        var tasks = emulated.Emulator.Tasks.Select(t => t.TaskId).ToList();
        Assert.Equal(2, files.Count);
        Assert.Contains("cat.mp4", files);
        var other = Assert.Single(files, f => f != "cat.mp4");
        Assert.Matches("^cat-[0-9]+\\.mp4$", other);
        Assert.Contains(other[4..^4], tasks);
        var warning = Assert.Single(first.Warnings).Message;
        Assert.EndsWith($"is saved as {Path.Combine(clips, other)} instead.", warning);

        emulated.Emulator.Log.Clear();
        var again = await powershell.RunAsync("""
            param($Folder, $Clips, $Journal)
            Get-ChildItem -LiteralPath $Folder -Recurse -Filter cat.png | New-KlingImageVideo -JournalPath $Journal |
                Wait-KlingTask -PollIntervalSec 1 | Save-KlingVideo -Path $Clips -JournalPath $Journal
            """, parameters);

        Assert.False(again.Threw || again.Errors.Count > 0 || again.Warnings.Count > 0, again.Describe());
        Assert.Equal(files, again.Objects<FileInfo>().Select(f => f.Name).Order());
        Assert.Equal(0, emulated.Creates);
        Assert.DoesNotContain(emulated.Emulator.Log.Entries, l => l.Path.StartsWith("/files/", StringComparison.Ordinal));
    }
}
