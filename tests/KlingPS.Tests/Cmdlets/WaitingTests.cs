using System.Diagnostics;
using System.Management.Automation;
using System.Text.RegularExpressions;
using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>
/// Waiting as a user meets it: short tasks are seen within seconds without any setting, New-* -Wait takes
/// -PollIntervalSec as Wait-KlingTask does, and a -TimeoutSec reports each task as it is at that moment.
/// </summary>
public class WaitingTests
{
    [Fact]
    public async Task The_one_liner_with_tasks_of_a_second_ends_within_seconds_of_its_tasks()
    {
        // The emulator's own defaults, as the demo runs it: 0.2 s queued, 1 s processing.
        await using var emulated = await Emulated.StartAsync(o => { o.SubmittedTime = TimeSpan.FromMilliseconds(200); o.GenerationTime = TimeSpan.FromSeconds(1); });
        foreach (var name in new[] { "harbour", "mountains", "sunset" }) emulated.Png(name + ".png");
        var clips = Path.Combine(emulated.Folder, "clips");
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var watch = Stopwatch.StartNew();
        var run = await powershell.RunAsync("param($Folder, $Clips) Get-ChildItem $Folder/*.png | New-KlingImageVideo | Wait-KlingTask | Save-KlingVideo -Path $Clips",
            new() { ["Folder"] = emulated.Folder, ["Clips"] = clips });
        var took = watch.Elapsed;

        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        Assert.Equal(3, run.Objects<FileInfo>().Count);
        var lastEnd = emulated.Emulator.Tasks.Max(t => t.FinishedAt);
        var firstCreate = emulated.Emulator.Tasks.Min(t => t.CreatedAt);
        Assert.True(took < (lastEnd - firstCreate) + TimeSpan.FromSeconds(6), $"the tasks took {lastEnd - firstCreate}, the command {took}");
    }

    [Fact]
    public async Task New_KlingImageVideo_Wait_takes_PollIntervalSec()
    {
        await using var emulated = await Emulated.StartAsync();
        var image = emulated.Png("cat.png");
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync("param($Image) New-KlingImageVideo -LiteralPath $Image -Wait -PollIntervalSec 3", new() { ["Image"] = image });

        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        Assert.Equal(KlingTaskStatus.Succeeded, Assert.Single(run.Objects<KlingTask>()).Status);
        // The task is done in 0.25 s; the adaptive plan would look after 1 s, the interval given says 3 s.
        var created = emulated.Emulator.Log.Entries.Single(l => l.Method == "POST").Time;
        var firstPoll = emulated.Emulator.Log.Entries.First(l => l.Method == "GET").Time;
        Assert.InRange((firstPoll - created).TotalSeconds, 2.9, 8);
    }

    [Fact]
    public async Task At_TimeoutSec_a_task_that_succeeded_is_output_and_one_still_running_is_reported_as_it_is_now()
    {
        await using var emulated = await Emulated.StartAsync(o => o.Concurrency = 10);
        var request = new ImageVideoRequest(KlingImage.FromUrl(new Uri("https://example.com/cat.jpg")));
        var quick = await emulated.Client.SubmitAsync(request);
        emulated.Emulator.Options.GenerationTime = TimeSpan.FromMinutes(2);
        var slow = await emulated.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromUrl(new Uri("https://example.com/dog.jpg"))));
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        // No poll comes before the timeout (the interval is a minute): only the last look at the timeout can tell.
        var run = await powershell.RunAsync("param($Tasks) $Tasks | Wait-KlingTask -TimeoutSec 2 -PollIntervalSec 60",
            new() { ["Tasks"] = new[] { quick, slow } });

        var done = Assert.Single(run.Objects<KlingTask>());
        Assert.Equal((quick.TaskId, KlingTaskStatus.Succeeded), (done.TaskId, done.Status));
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("WaitTimeout,", error.FullyQualifiedErrorId);
        var exception = Assert.IsType<KlingApiException>(error.Exception);
        Assert.Equal(KlingErrorKind.WaitTimedOut, exception.Kind);
        Assert.Equal($"Task {slow.TaskId} (https://example.com/dog.jpg) was still Processing when the wait timed out.", exception.Message);
        Assert.Contains($"Get-KlingTask -TaskId {slow.TaskId} | Wait-KlingTask", error.ErrorDetails?.RecommendedAction);
    }

    [Fact]
    public async Task Progress_counts_the_tasks_by_status_every_few_seconds_and_completes_at_the_end()
    {
        await using var emulated = await Emulated.StartAsync(o => { o.Concurrency = 10; o.GenerationTime = TimeSpan.FromSeconds(6); });
        var tasks = new List<KlingTask>();
        foreach (var name in new[] { "cat", "dog" })
            tasks.Add(await emulated.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromUrl(new Uri($"https://example.com/{name}.jpg")))));
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        // The first query comes after 5 s: what the bar shows before that, the timer wrote.
        var run = await powershell.RunAsync("param($Tasks) $Tasks | Wait-KlingTask -PollIntervalSec 5", new() { ["Tasks"] = tasks.ToArray() });

        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        Assert.Equal(2, run.Objects<KlingTask>().Count);
        var records = run.Progress.Where(r => r.Activity == "Waiting for Kling tasks").ToList();
        var shown = records.Select(r => Regex.Match(r.StatusDescription,
            @"^(\d+) of 2 done: (\d+) submitted, (\d+) processing, (\d+) succeeded, (\d+) failed; (\d+):(\d\d) elapsed$")).ToList();
        Assert.All(shown, m => Assert.True(m.Success, "a progress record reads otherwise"));
        var seconds = shown.Select(m => 60 * int.Parse(m.Groups[6].Value) + int.Parse(m.Groups[7].Value)).ToList();
        Assert.True(seconds.Count(s => s < 5) >= 2, "written every few seconds before any query: at " + string.Join(", ", seconds));
        Assert.Contains(shown, m => m.Groups[2].Value == "2"); // both submitted, as the tasks came
        Assert.Contains(shown, m => m.Groups[3].Value != "0"); // the first query saw them processing
        Assert.Equal(ProgressRecordType.Completed, records[^1].RecordType);
        Assert.Equal("2 of 2 done: 0 submitted, 0 processing, 2 succeeded, 0 failed", records[^1].StatusDescription.Split(';')[0]);
        Assert.Equal(100, records[^1].PercentComplete);
        Assert.All(records.SkipLast(1), r => Assert.Equal(ProgressRecordType.Processing, r.RecordType));
    }
}
