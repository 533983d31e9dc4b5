using System.Collections.Concurrent;
using System.Diagnostics;
using KlingPS.BatchDriver;
using KlingPS.Emulator;
using Xunit.Abstractions;

namespace KlingPS.Tests.Reliability;

/// <summary>
/// Issue 5: the batch process is killed during submission, while waiting and while downloading, and run again with its
/// journal each time; in the end every image has exactly one task and one video, and nothing half-written is left.
/// </summary>
[Collection(BatchBench.Collection)]
public class KillAndRerunTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(40);

    private sealed record Run(bool Killed, int ExitCode, int Submitted, int Saved, List<string> Lines);

    /// <summary>Runs the driver until it exits, or kills its process tree as soon as <paramref name="killWhen"/> holds.</summary>
    private async Task<Run> RunDriverAsync(BatchBench bench, string name, Func<int, int, bool>? killWhen, string extra = "")
    {
        var lines = new ConcurrentQueue<string>();
        int submitted = 0, saved = 0, killed = 0;
        Process? process = null;
        var clock = Stopwatch.StartNew();
        process = bench.StartDriver(Support.Emulated.Key, line =>
        {
            lines.Enqueue(line);
            if (line.StartsWith("submitted ", StringComparison.Ordinal)) Interlocked.Increment(ref submitted);
            if (line.StartsWith("saved ", StringComparison.Ordinal)) Interlocked.Increment(ref saved);
            if (killWhen != null && killWhen(Volatile.Read(ref submitted), Volatile.Read(ref saved)) && Interlocked.Exchange(ref killed, 1) == 0)
            {
                try { process!.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } // it may have just ended
            }
        }, extra);
        using (process)
        {
            using var limit = new CancellationTokenSource(RunLimit);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                var kinds = lines.GroupBy(l => l.Split(' ')[0]).Select(g => $"{g.Count()} {g.Key}");
                var log = bench.Emulator.Log.Entries;
                Assert.Fail($"run '{name}' did not end within {RunLimit} ({string.Join(", ", kinds)}): " +
                    string.Join(Environment.NewLine, lines.Where(l => !l.StartsWith("s", StringComparison.Ordinal)).Concat(lines.TakeLast(5))) +
                    Environment.NewLine + "last requests:" + Environment.NewLine +
                    string.Join(Environment.NewLine, log.TakeLast(15).Select(e => $"{e.Time:HH:mm:ss.fff} {e.Method} {e.Path} {e.Status} {e.Fault}")));
            }
            process.WaitForExit(); // drains the output events
            var run = new Run(killed == 1, process.ExitCode, submitted, saved, lines.ToList());
            output.WriteLine($"{name}: {(run.Killed ? "killed" : "exit " + run.ExitCode)} after {clock.Elapsed.TotalSeconds:0.0} s, " +
                $"{run.Submitted} submitted, {run.Saved} saved, {Directory.GetFiles(bench.Out, "*.mp4").Length} videos and {bench.PartFiles().Length} temporary files on disk, " +
                $"{bench.Emulator.TasksCreated} tasks at the service");
            return run;
        }
    }

    [Fact]
    public async Task A_batch_killed_during_submission_waiting_and_downloading_ends_with_200_tasks_and_200_videos_after_re_runs()
    {
        // All 200 tasks may run at once, and each takes 6 s: submitting is over long before the first task ends, so a kill
        // right after the last "submitted" line comes while the run is only waiting.
        await using var bench = await BatchBench.StartAsync(200, o =>
        {
            o.Concurrency = 200;
            o.SubmittedTime = TimeSpan.FromMilliseconds(100);
            o.GenerationTime = TimeSpan.FromSeconds(6);
            o.Seed = 4242;
        });
        // Drops keep half-written temporary files on disk for 100 ms each, so kills while downloading leave some behind;
        // dropped creates make the re-runs find tasks whose answers never arrived.
        bench.Emulator.Options.Faults.Add(FaultRule.DropMidBody().ForTarget(FaultTarget.Download).WithRate(0.3));
        bench.Emulator.Options.Faults.Add(FaultRule.DropAfterAccept().ForTarget(FaultTarget.Create).WithRate(0.05));
        var clock = Stopwatch.StartNew();

        var duringSubmission = await RunDriverAsync(bench, "killed during submission", (submitted, _) => submitted >= 60);
        var duringWaiting = await RunDriverAsync(bench, "killed while waiting", (submitted, _) => submitted >= 200);
        var duringDownloading = await RunDriverAsync(bench, "killed while downloading", (_, saved) => saved >= 40);
        var toTheEnd = await RunDriverAsync(bench, "to the end", null, "--verbose");

        output.WriteLine($"all runs: {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(duringSubmission.Killed && duringSubmission.Submitted < 200 && duringSubmission.Saved == 0, "the first kill must come during submission");
        Assert.True(duringWaiting.Killed && duringWaiting.Saved == 0, "the second kill must come while waiting, before any video was saved");
        Assert.True(duringDownloading.Killed && duringDownloading.Saved < 200, "the third kill must come while downloading");
        Assert.True(toTheEnd.ExitCode == 0, string.Join(Environment.NewLine, toTheEnd.Lines.Where(l => l.StartsWith("error", StringComparison.Ordinal))));

        bench.AssertComplete(); // 200 tasks, one per image; 200 videos, byte-identical; no temporary file; the journal parses
        var savedPaths = new[] { duringSubmission, duringWaiting, duringDownloading, toTheEnd }
            .SelectMany(r => r.Lines).Where(l => l.StartsWith("saved ", StringComparison.Ordinal)).ToList();
        Assert.Equal(savedPaths.Count, savedPaths.Distinct().Count()); // no video downloaded again once saved
        Assert.Equal(200, toTheEnd.Lines.Count(l => l.StartsWith("saved ", StringComparison.Ordinal) || l.StartsWith("skipped ", StringComparison.Ordinal)));
        using (BatchJournal.Open(bench.JournalPath)) { }
    }

    [Fact]
    public async Task A_temporary_file_and_a_journal_record_left_by_a_kill_before_the_rename_do_not_stop_a_re_run()
    {
        await using var bench = await BatchBench.StartAsync(3);
        // What a kill between the journal's "saving" record and the rename leaves: the record, the temporary file, no video.
        var stale = Path.Combine(bench.Out, ".img001.mp4.0badf00d.part");
        File.WriteAllText(stale, "half a video");
        using (var journal = BatchJournal.Open(bench.JournalPath)) journal.TryRecordSaving("123", "456", Path.Combine(bench.Out, "img001.mp4"), 4242, false);

        var result = await BatchRun.RunAsync(bench.Options(), CancellationToken.None);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors.Select(e => e.Message)));
        Assert.Equal(3, result.Saved.Count);
        bench.AssertComplete();
    }
}
