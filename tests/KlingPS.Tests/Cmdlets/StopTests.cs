using System.Management.Automation;
using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>
/// Ctrl+C (PowerShell.Stop(), which runs each cmdlet's StopProcessing) on the one-liner while it waits and while it
/// downloads: it ends within seconds, sends nothing more, and leaves no file behind.
/// </summary>
public class StopTests
{
    private const string OneLiner = """
        param($Folder, $Clips)
        Get-ChildItem $Folder/*.png | New-KlingImageVideo -Prompt 'waves' | Wait-KlingTask -PollIntervalSec 1 | Save-KlingVideo -Path $Clips
        """;

    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Stopping_while_tasks_run_ends_within_seconds_and_stops_polling()
    {
        // Tasks that take two minutes: whatever is stopped is still waiting.
        await using var emulated = await Emulated.StartAsync(o => o.GenerationTime = TimeSpan.FromMinutes(2));
        var images = new[] { emulated.Png("cat.png"), emulated.Png("dog.png", 700, 500), emulated.Png("owl.png", 800, 600) };
        var clips = Path.Combine(emulated.Folder, "clips");
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);
        using var running = powershell.Start(OneLiner, new() { ["Folder"] = emulated.Folder, ["Clips"] = clips });

        // Stop once every task exists and the waiter has polled: the stop hits the wait, not the submissions.
        await running.UntilAsync(() => emulated.Emulator.TasksCreated == images.Length && emulated.Emulator.Log.Entries.Any(e => e.Method == "GET"));
        var took = await running.StopAsync(TimeSpan.FromSeconds(30));

        Assert.True(took < Promptly, $"stopping took {took}");
        Assert.IsType<PipelineStoppedException>(running.Result().Terminating);
        await AssertNothingMoreIsSent(emulated.Emulator);
        Assert.Empty(Directory.Exists(clips) ? Directory.GetFiles(clips) : []);
    }

    [Fact]
    public async Task Stopping_mid_download_ends_within_seconds_and_leaves_no_partial_file()
    {
        // Every download breaks off halfway, so its temporary file waits on disk for the retry: the moment to stop.
        await using var emulated = await Emulated.StartAsync(o => o.Faults.Add(FaultRule.DropMidBody().ForTarget(FaultTarget.Download)));
        emulated.Png("cat.png");
        emulated.Png("dog.png", 700, 500);
        var clips = Path.Combine(emulated.Folder, "clips");
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);
        using var running = powershell.Start(OneLiner, new() { ["Folder"] = emulated.Folder, ["Clips"] = clips });

        await running.UntilAsync(() => Directory.Exists(clips) && Directory.GetFiles(clips, "*.part").Length > 0);
        var took = await running.StopAsync(TimeSpan.FromSeconds(30));

        Assert.True(took < Promptly, $"stopping took {took}");
        Assert.IsType<PipelineStoppedException>(running.Result().Terminating);
        Assert.Empty(Directory.GetFiles(clips, "*.mp4")); // no half video under its final name
        await AssertNothingMoreIsSent(emulated.Emulator);
        // Checked once the stopped downloads have wound down: Save-KlingVideo returns from Stop() without waiting for
        // them, so at that moment their temporary files may still be there for a few milliseconds.
        Assert.Empty(Directory.GetFiles(clips));
    }

    /// <summary>Nothing arrives at the emulator for longer than the poll interval and the retry delay (1 s each).</summary>
    private static async Task AssertNothingMoreIsSent(KlingEmulator emulator)
    {
        await Task.Delay(300); // the answer to a request already under way may still be logged
        var requests = emulator.Log.Entries.Count;
        await Task.Delay(2500);
        Assert.Equal(requests, emulator.Log.Entries.Count);
    }
}
