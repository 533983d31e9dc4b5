using System.Collections.Concurrent;
using KlingPS.Emulator;
using Xunit.Abstractions;

namespace KlingPS.Tests.Reliability;

/// <summary>
/// Several processes over one folder and one journal, started close together (runbook jobs overlapping, workers over the
/// same shard): exactly one task per image, every journal record kept, whether or not the service refuses a reused
/// external id; every video saved once, by one process, while the others wait for its temporary file (never touching it)
/// and find it saved. The processes are real: tests/KlingPS.BatchDriver, the pipeline's flow as a console.
/// </summary>
[Collection(BatchBench.Collection)]
public class SharedJournalTests(ITestOutputHelper output)
{
    private const int Images = 24;
    private const int Processes = 3;
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(90);

    /// <summary>Starts the driver <see cref="Processes"/> times at once, waits for all, and gives each one's lines.</summary>
    private async Task<List<string>[]> RunTogetherAsync(BatchBench bench)
    {
        var lines = Enumerable.Range(0, Processes).Select(_ => new ConcurrentQueue<string>()).ToArray();
        var ready = Enumerable.Range(0, Processes).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        // Two submissions at a time and slow answers: each process takes a few seconds to submit.
        var processes = Enumerable.Range(0, Processes).Select(i => bench.StartDriver(Support.Emulated.Key, line =>
        {
            if (line == "ready") ready[i].TrySetResult();
            else lines[i].Enqueue(line);
        }, "--throttle 2 --verbose --go-on-stdin")).ToList();
        try
        {
            using var limit = new CancellationTokenSource(RunLimit);
            // Started up (the runtime loaded, the code compiled), they begin at the same moment.
            await Task.WhenAll(ready.Select(r => r.Task)).WaitAsync(limit.Token);
            foreach (var process in processes) process.StandardInput.WriteLine("go");
            await Task.WhenAll(processes.Select(p => p.WaitForExitAsync(limit.Token)));
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                process.WaitForExit();
                process.Dispose();
            }
        }
        var runs = lines.Select(l => l.ToList()).ToArray();
        for (var i = 0; i < Processes; i++)
        {
            var kinds = runs[i].GroupBy(l => l.Split(' ')[0]).Select(g => $"{g.Count()} {g.Key}");
            output.WriteLine($"process {i}: {string.Join(", ", kinds)}; {runs[i].LastOrDefault()}");
            foreach (var line in runs[i].Where(l => l.StartsWith("error ", StringComparison.Ordinal) || l.StartsWith("warning ", StringComparison.Ordinal))) output.WriteLine("  " + line);
        }
        return runs;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Processes_started_together_over_one_journal_create_one_task_per_image_and_save_each_video_once(bool serviceRefusesReusedIds)
    {
        await using var bench = await BatchBench.StartAsync(Images, o =>
        {
            o.Concurrency = 100;
            o.Latency = TimeSpan.FromMilliseconds(150);
            o.UniqueExternalTaskIds = serviceRefusesReusedIds;
            o.VideoPaddingBytes = 100_000;
        });
        // The first two downloads stall half-way for the request timeout (2 s): the other processes, which want the same
        // videos at the same moment, find them being written.
        bench.Emulator.Options.Faults.Add(FaultRule.StallAfterHeaders().ForTarget(FaultTarget.Download).AtMost(2));

        var runs = await RunTogetherAsync(bench);

        Assert.All(runs, run => Assert.Equal("done submitted=24", string.Join(' ', run.Last().Split(' ').Take(2))));
        Assert.All(runs, run => Assert.DoesNotContain(run, l => l.StartsWith("error ", StringComparison.Ordinal)));
        bench.AssertComplete(); // one task per image, one submitted record each, one byte-identical video each, no temporary file
        var records = bench.JournalRecords(); // every line parses
        var submitted = records.Where(r => r.GetProperty("kind").GetString() == "submitted").ToList();
        Assert.Equal(Images, submitted.Select(r => r.GetProperty("key").GetString()).Distinct().Count());
        // Every video was saved once, by one of the processes; the others found it saved.
        var saved = runs.SelectMany(r => r).Where(l => l.StartsWith("saved ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Images, saved.Count);
        Assert.Equal(Images, saved.Distinct().Count());
        Assert.All(runs, run => Assert.Equal(Images, run.Count(l => l.StartsWith("saved ", StringComparison.Ordinal) || l.StartsWith("skipped ", StringComparison.Ordinal))));
        Assert.Equal(Images, records.Count(r => r.GetProperty("kind").GetString() == "saved"));
        Assert.Equal(Images + 2, bench.Emulator.Log.Entries.Count(l => l.Path.StartsWith("/files/", StringComparison.Ordinal))); // and the two resumes
        Assert.Contains(runs.SelectMany(r => r), l => l.Contains("is writing it; waiting for it", StringComparison.Ordinal));
        // Every process got a task for every image: its own, or the one another process recorded.
        Assert.All(runs, run => Assert.Equal(Images, run.Count(l => l.StartsWith("submitted ", StringComparison.Ordinal))));
        Assert.All(runs, run => Assert.Equal(Images, run.Where(l => l.StartsWith("submitted ", StringComparison.Ordinal)).Distinct().Count()));
        Assert.Equal(runs[0].Where(l => l.StartsWith("submitted ", StringComparison.Ordinal)).Order(),
            runs[1].Where(l => l.StartsWith("submitted ", StringComparison.Ordinal)).Order());
        // They did overlap: some process found a request that another live one was sending, and waited for its task.
        Assert.Contains(runs.SelectMany(r => r), l => l.Contains("another run (or item) is sending", StringComparison.Ordinal));
    }
}
