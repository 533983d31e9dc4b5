using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>README's one-liner, as written, in real PowerShell against the emulator.</summary>
public class OneLinerTests
{
    [Fact]
    public async Task Saves_one_video_per_image_named_after_it_holding_the_bytes_the_service_served_for_that_image()
    {
        await using var emulated = await Emulated.StartAsync();
        var stills = Directory.CreateDirectory(Path.Combine(emulated.Folder, "stills")).FullName;
        // Different sizes, so that no two images (and so no two requests) are alike.
        var images = new[] { "harbour", "mountains", "sunset" }.Select((name, i) => emulated.Png($"stills/{name}.png", 640 + 16 * i, 480)).ToList();
        var clips = Path.Combine(emulated.Folder, "clips");
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync("""
            param($Stills, $Clips)
            Get-ChildItem $Stills/*.png | New-KlingImageVideo -Prompt 'slow push-in' -Mode pro | Wait-KlingTask | Save-KlingVideo -Path $Clips
            """, new() { ["Stills"] = stills, ["Clips"] = clips });

        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        var files = run.Objects<FileInfo>();
        Assert.Equal(run.Output.Count, files.Count);
        Assert.Equal(images.Count, files.Count);
        foreach (var image in images)
        {
            var create = CreateRequest.Of(emulated.Emulator, image);
            Assert.Equal(("slow push-in", "pro"), (create.Field("prompt"), create.Field("mode")));
            var task = Assert.Single(emulated.Emulator.Tasks, t => t.ExternalTaskId == create.Field("external_task_id"));
            var saved = Assert.Single(files, f => f.Name == Path.GetFileNameWithoutExtension(image) + ".mp4");
            Assert.Equal(clips, saved.DirectoryName);
            Assert.Equal(emulated.Emulator.ExpectedVideoBytes(task.VideoId), File.ReadAllBytes(saved.FullName));
        }
        // Nothing else was left in the folder: no temporary file, no second copy.
        Assert.Equal(files.Select(f => f.FullName).Order(), Directory.GetFiles(clips).Order());
    }
}
