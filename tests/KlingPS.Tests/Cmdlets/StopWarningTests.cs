using System.Management.Automation;
using System.Text.RegularExpressions;
using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>
/// Ctrl+C (PowerShell.Stop()) does not cancel the tasks the service runs, and they are paid for: the stopped commands warn,
/// naming them and saying how to pick them up. A stopped pipeline takes no more writes: the warnings go through the host's
/// user interface, which a runspace without a console (this one) collects in its Warning stream.
/// </summary>
public class StopWarningTests
{
    [Fact]
    public async Task Stopping_a_wait_names_each_running_task_and_the_command_that_picks_them_up()
    {
        await using var emulated = await Emulated.StartAsync(o => o.GenerationTime = TimeSpan.FromMinutes(2));
        emulated.Png("cat.png");
        emulated.Png("dog.png", 700, 500);
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);
        using var running = powershell.Start("param($Folder) Get-ChildItem $Folder/*.png | New-KlingImageVideo | Wait-KlingTask -PollIntervalSec 1",
            new() { ["Folder"] = emulated.Folder });

        await running.UntilAsync(() => emulated.Emulator.TasksCreated == 2 && emulated.Emulator.Log.Entries.Any(e => e.Method == "GET"));
        await running.StopAsync(TimeSpan.FromSeconds(30));

        var run = running.Result();
        Assert.IsType<PipelineStoppedException>(run.Terminating);
        // The wait warns of the tasks it had; a task whose answer New-KlingImageVideo had not handed on yet is in its warning.
        var warnings = run.Warnings.Select(w => w.Message).ToList();
        Assert.NotEmpty(warnings);
        var tasks = emulated.Emulator.Tasks;
        Assert.Equal(2, tasks.Count);
        var named = new List<string>();
        foreach (var warning in warnings)
        {
            var said = Regex.Match(warning,
                @"^Stopped with ([0-9]+) paid task\(s\) still running at the service, which does not cancel them: (.+)\. Pick them up with Get-KlingTask -TaskId ([0-9, ]+) \| Wait-KlingTask \| Save-KlingVideo\.$");
            Assert.True(said.Success, warning);
            var ids = said.Groups[3].Value.Split(", ");
            Assert.Equal(int.Parse(said.Groups[1].Value), ids.Length);
            named.AddRange(ids);
            Assert.All(ids, id => Assert.Matches($@"\b{id} \((cat|dog)\.png\)", said.Groups[2].Value));
        }
        Assert.Equal(tasks.Select(t => t.TaskId).Order(), named.Order());
    }

    [Fact]
    public async Task Stopping_while_submissions_are_unanswered_names_their_images_and_the_journal_that_finds_their_tasks()
    {
        // The first create is answered at once; the others only after a minute, so they are in flight when the stop comes.
        await using var emulated = await Emulated.StartAsync(o =>
        {
            o.GenerationTime = TimeSpan.FromMinutes(2);
            o.Faults.Add(FaultRule.Delay(1).ForTarget(FaultTarget.Create).OnFirst(1));
            o.Faults.Add(FaultRule.Delay(60_000).ForTarget(FaultTarget.Create));
        });
        var images = new[] { emulated.Png("cat.png"), emulated.Png("dog.png", 700, 500), emulated.Png("owl.png", 800, 600) };
        var journal = Path.Combine(emulated.Folder, "batch.journal");
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);
        using var running = powershell.Start("""
            param($Folder, $Journal)
            Get-ChildItem $Folder/*.png | New-KlingImageVideo -JournalPath $Journal | Wait-KlingTask -PollIntervalSec 1
            """, new() { ["Folder"] = emulated.Folder, ["Journal"] = journal });

        await running.UntilAsync(() => emulated.Emulator.TasksCreated == 1 && emulated.Emulator.Log.Entries.Any(e => e.Method == "GET"));
        await running.StopAsync(TimeSpan.FromSeconds(30));

        var warnings = running.Result().Warnings.Select(w => w.Message).ToList();
        Assert.Equal(2, warnings.Count);
        var created = Assert.Single(emulated.Emulator.Tasks);
        var answered = Assert.Single(images, image => warnings.Any(w => w.Contains($"{created.TaskId} ({Path.GetFileName(image)})")));
        var unanswered = Assert.Single(warnings, w => w.StartsWith("Stopped with 2 submission(s) sent but not answered", StringComparison.Ordinal));
        Assert.All(images.Where(i => i != answered), image => Assert.Contains(Path.GetFileName(image), unanswered));
        Assert.DoesNotContain(Path.GetFileName(answered), unanswered);
        // The journal gave each request its external id before it was sent: the warning names them, and the journal.
        Assert.Equal(2, Regex.Matches(unanswered, "klingps-[0-9a-f]{32}").Count);
        Assert.EndsWith($"Or run the same command again with -JournalPath {journal}: it finds them instead of paying twice.", unanswered);
    }
}
