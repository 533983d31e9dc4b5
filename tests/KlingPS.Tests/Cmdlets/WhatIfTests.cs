using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>
/// -WhatIf on the commands that spend credits or write files: nothing reaches the service, nothing is written. Each test
/// then runs the same command without -WhatIf, so that "nothing" cannot come from input that would never have been sent.
/// </summary>
public class WhatIfTests
{
    [Fact]
    public async Task New_KlingImageVideo_WhatIf_sends_nothing_and_the_pipeline_after_it_creates_nothing()
    {
        await using var emulated = await Emulated.StartAsync();
        var images = new[] { emulated.Png("cat.png"), emulated.Png("dog.png", 700, 500) };
        var clips = Path.Combine(emulated.Folder, "clips");
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);
        var parameters = new Dictionary<string, object?> { ["Folder"] = emulated.Folder, ["Clips"] = clips };

        var whatIf = await powershell.RunAsync("""
            param($Folder, $Clips)
            Get-ChildItem $Folder/*.png | New-KlingImageVideo -Prompt 'waves' -WhatIf | Wait-KlingTask -PollIntervalSec 1 | Save-KlingVideo -Path $Clips
            """, parameters);

        Assert.False(whatIf.Threw || whatIf.Errors.Count > 0, whatIf.Describe());
        Assert.Empty(whatIf.Output);
        Assert.Empty(emulated.Emulator.Log.Entries);
        Assert.Equal(0, emulated.Emulator.TasksCreated);
        Assert.False(Directory.Exists(clips));

        var sent = await powershell.RunAsync("param($Folder) Get-ChildItem $Folder/*.png | New-KlingImageVideo -Prompt 'waves'", parameters);
        Assert.Equal(images.Length, sent.Objects<KlingTask>().Count);
        Assert.All(images, image => CreateRequest.Of(emulated.Emulator, image));
    }

    [Fact]
    public async Task Save_KlingVideo_WhatIf_downloads_nothing_and_writes_nothing()
    {
        await using var emulated = await Emulated.StartAsync();
        emulated.Png("cat.png");
        emulated.Png("dog.png", 700, 500);
        var clips = Path.Combine(emulated.Folder, "clips");
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);
        var finished = await powershell.RunAsync("param($Folder) Get-ChildItem $Folder/*.png | New-KlingImageVideo | Wait-KlingTask -PollIntervalSec 1",
            new() { ["Folder"] = emulated.Folder });
        var tasks = finished.Objects<KlingTask>();
        Assert.Equal(2, tasks.Count);
        Assert.All(tasks, t => Assert.Equal(KlingTaskStatus.Succeeded, t.Status));
        emulated.Emulator.Log.Clear();
        var parameters = new Dictionary<string, object?> { ["Tasks"] = tasks.ToArray(), ["Clips"] = clips };

        var whatIf = await powershell.RunAsync("param($Tasks, $Clips) $Tasks | Save-KlingVideo -Path $Clips -WhatIf", parameters);

        Assert.False(whatIf.Threw || whatIf.Errors.Count > 0, whatIf.Describe());
        Assert.Empty(whatIf.Output);
        Assert.Empty(emulated.Emulator.Log.Entries);
        Assert.False(Directory.Exists(clips));

        var saved = await powershell.RunAsync("param($Tasks, $Clips) $Tasks | Save-KlingVideo -Path $Clips", parameters);
        Assert.Equal(tasks.Count, saved.Objects<FileInfo>().Count(f => f.Exists));
        Assert.Equal(tasks.Count, emulated.Emulator.Log.Entries.Count(e => e.Path.StartsWith("/files/", StringComparison.Ordinal)));
    }
}
