using System.Management.Automation;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>
/// The progress bars of submissions (id 4710) and downloads (id 4712), as a host receives them: counts that add up to what
/// happened, the item being handed over, and one Completed record at the end.
/// </summary>
public class ProgressTests
{
    private static List<ProgressRecord> Bar(PowerShellRun run, int id) => run.Progress.Where(p => p.ActivityId == id).ToList();

    [Fact]
    public async Task Submissions_count_what_was_submitted_and_what_failed_of_the_items_seen_and_end_with_a_Completed_record()
    {
        await using var emulated = await Emulated.StartAsync();
        var images = new[] { emulated.Png("cat.png"), emulated.Png("tiny.png", 200, 200), emulated.Png("dog.png", 700, 500), emulated.Png("owl.png", 800, 600) };
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync("param($Paths) $Paths | New-KlingImageVideo -Prompt 'waves' -ErrorAction SilentlyContinue",
            new() { ["Paths"] = images });

        Assert.False(run.Threw, run.Describe());
        Assert.Equal(3, run.Objects<KlingTask>().Count);
        var bar = Bar(run, 4710);
        Assert.All(bar, p => Assert.Equal("Submitting Kling tasks", p.Activity));
        Assert.Equal(ProgressRecordType.Completed, bar[^1].RecordType);
        Assert.Equal("3 submitted, 1 failed of 4 seen", bar[^1].StatusDescription);
        Assert.Single(bar, p => p.RecordType == ProgressRecordType.Completed);
        // Each image was named while it was handed over, in pipeline order.
        var named = bar.Select(p => p.CurrentOperation).OfType<string>().Distinct().ToList();
        Assert.Equal(images.Select(Path.GetFileName), named.Select(n => n.Split(' ')[1]));
    }

    [Fact]
    public async Task Downloads_count_videos_and_bytes_and_end_with_a_Completed_record_that_holds_every_byte_saved()
    {
        await using var emulated = await Emulated.StartAsync(o => o.VideoPaddingBytes = 3 * 1024 * 1024);
        emulated.Png("cat.png");
        emulated.Png("dog.png", 700, 500);
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync("""
            param($Folder, $Clips)
            Get-ChildItem $Folder/*.png | New-KlingImageVideo | Wait-KlingTask -PollIntervalSec 1 | Save-KlingVideo -Path $Clips
            """, new() { ["Folder"] = emulated.Folder, ["Clips"] = Path.Combine(emulated.Folder, "clips") });

        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        var files = run.Objects<FileInfo>();
        Assert.Equal(2, files.Count);
        var bar = Bar(run, 4712);
        Assert.All(bar, p => Assert.Equal("Saving Kling videos", p.Activity));
        Assert.Single(bar, p => p.RecordType == ProgressRecordType.Completed);
        Assert.Equal(ProgressRecordType.Completed, bar[^1].RecordType);
        var bytes = files.Sum(f => f.Length).ToString("N0", System.Globalization.CultureInfo.CurrentCulture);
        Assert.Equal($"2 of 2 downloaded, {bytes} bytes received", bar[^1].StatusDescription);
        Assert.Equal(100, bar[^1].PercentComplete);
    }
}
