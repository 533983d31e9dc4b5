using System.Management.Automation;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>
/// What users do with the output: Export-Csv and ConvertTo-Json keep the video and the status as text, the default table
/// fits an 80-column console, and Save-KlingVideo's files are the provider's items, as Get-Item gives them.
/// </summary>
public class ExportTests
{
    private const string Finished = "param($Folder) Get-ChildItem $Folder/*.png | New-KlingImageVideo | Wait-KlingTask -PollIntervalSec 1";

    private static async Task<(Emulated Emulated, HostedPowerShell PowerShell, IReadOnlyList<KlingTask> Tasks)> FinishedTasksAsync()
    {
        var emulated = await Emulated.StartAsync();
        emulated.Png("cat.png");
        emulated.Png("dog.png", 700, 500);
        var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);
        var run = await powershell.RunAsync(Finished, new() { ["Folder"] = emulated.Folder });
        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        var tasks = run.Objects<KlingTask>();
        Assert.Equal(2, tasks.Count);
        return (emulated, powershell, tasks);
    }

    [Fact]
    public async Task Export_Csv_keeps_the_video_url_id_and_duration_and_the_status_and_route_as_their_names()
    {
        var (emulated, powershell, tasks) = await FinishedTasksAsync();
        await using var _ = emulated;
        using var __ = powershell;
        var csv = Path.Combine(emulated.Folder, "tasks.csv");

        var run = await powershell.RunAsync("param($Tasks, $Csv) $Tasks | Export-Csv $Csv -NoTypeInformation; Import-Csv $Csv",
            new() { ["Tasks"] = tasks.ToArray(), ["Csv"] = csv });

        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        Assert.Equal(tasks.Count, run.Output.Count);
        foreach (var (row, task) in run.Output.Zip(tasks))
        {
            string Cell(string name) => row.Properties[name].Value.ToString()!;
            var video = Assert.Single(task.Videos);
            Assert.Equal((video.Url.ToString(), video.Id, "5"), (Cell("VideoUrl"), Cell("VideoId"), Cell("VideoDurationSec")));
            Assert.Equal(("Succeeded", "ImageToVideo"), (Cell("Status"), Cell("Route")));
        }
    }

    [Fact]
    public async Task ConvertTo_Json_writes_status_and_route_as_names_while_scripts_keep_the_typed_enums()
    {
        var (emulated, powershell, tasks) = await FinishedTasksAsync();
        await using var _ = emulated;
        using var __ = powershell;

        var run = await powershell.RunAsync("""
            param($Task)
            $json = $Task | ConvertTo-Json -Depth 3 | ConvertFrom-Json
            $json.Status; $json.Route; $json.VideoUrl
            $Task.Status -is [KlingPS.Core.Models.KlingTaskStatus]; $Task.Status -eq [KlingPS.Core.Models.KlingTaskStatus]::Succeeded
            """, new() { ["Task"] = tasks[0] });

        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        Assert.Equal(["Succeeded", "ImageToVideo", tasks[0].VideoUrl!.ToString(), "True", "True"], run.Output.Select(o => o.ToString()));
    }

    [Fact]
    public async Task The_task_table_shows_every_column_whole_in_an_80_column_console()
    {
        var (emulated, powershell, tasks) = await FinishedTasksAsync();
        await using var _ = emulated;
        using var __ = powershell;

        var run = await powershell.RunAsync("param($Tasks) $Tasks | Out-String -Width 80 -Stream", new() { ["Tasks"] = tasks.ToArray() });

        var lines = run.Output.Select(o => o.ToString()).Where(l => l.Trim().Length > 0).ToList();
        Assert.Equal(["TaskId", "Status", "Source", "Result"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        foreach (var task in tasks)
        {
            var row = Assert.Single(lines, l => l.StartsWith(task.TaskId + " ", StringComparison.Ordinal));
            Assert.Equal([task.TaskId, "Succeeded", Path.GetFileName(task.Source)!, "1", "video(s),", "5", "s"], row.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    [Fact]
    public async Task Save_KlingVideo_writes_the_file_system_providers_items_listed_as_Get_Item_lists_them()
    {
        var (emulated, powershell, tasks) = await FinishedTasksAsync();
        await using var _ = emulated;
        using var __ = powershell;
        var clips = Path.Combine(emulated.Folder, "clips");

        var run = await powershell.RunAsync("""
            param($Tasks, $Clips)
            $files = $Tasks | Save-KlingVideo -Path $Clips
            $files
            $files | Out-String -Width 80
            Get-Item -LiteralPath $files.FullName | Out-String -Width 80
            """, new() { ["Tasks"] = tasks.ToArray(), ["Clips"] = clips });

        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        var items = run.Output.Where(o => o.BaseObject is FileInfo).ToList();
        Assert.Equal(2, items.Count);
        Assert.All(items, item =>
        {
            var file = (FileInfo)item.BaseObject;
            Assert.Equal(@"Microsoft.PowerShell.Core\FileSystem::" + file.FullName, item.Properties["PSPath"].Value);
            Assert.Equal(@"Microsoft.PowerShell.Core\FileSystem::" + clips, item.Properties["PSParentPath"].Value);
        });
        // Listed exactly as Get-Item lists the same files: the folder, then the platform's columns (Mode, LastWriteTime,
        // Length, Name on Windows), with every value filled in.
        var listings = run.Output.Where(o => o.BaseObject is string).Select(o => o.ToString()).ToList();
        Assert.Equal(2, listings.Count);
        Assert.Contains("Directory: " + clips, listings[0]);
        Assert.All(items, item => Assert.Contains(((FileInfo)item.BaseObject).Name, listings[0]));
        Assert.Equal(listings[1], listings[0]);
    }
}
