using System.Diagnostics;
using KlingPS.BatchDriver;
using KlingPS.Emulator;
using Xunit.Abstractions;

namespace KlingPS.Tests.Reliability;

/// <summary>
/// Issue 5, Ctrl+C through the core: the batch's token is cancelled mid-submission, mid-wait and mid-download. Everything
/// in flight stops at once, nothing half-written remains, the journal stays valid, and a re-run completes the batch.
/// </summary>
[Collection(BatchBench.Collection)]
public class CancellationTests(ITestOutputHelper output)
{
    private const int Images = 30;
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(3);

    public static TheoryData<string> Phases => new() { "submission", "waiting", "download" };

    [Theory]
    [MemberData(nameof(Phases))]
    public async Task Cancelling_stops_everything_at_once_leaves_no_partial_file_and_a_re_run_completes(string phase)
    {
        await using var bench = await BatchBench.StartAsync(Images, o =>
        {
            o.Concurrency = Images;
            switch (phase)
            {
                case "submission": o.Latency = TimeSpan.FromMilliseconds(150); break; // submitting takes a while
                case "waiting": o.GenerationTime = TimeSpan.FromSeconds(3); break; // everything is submitted long before any task ends
            }
        });
        // Downloads dropped halfway keep their half-written temporary file on disk for 100 ms: the moment to cancel.
        if (phase == "download") bench.Emulator.Options.Faults.Add(FaultRule.DropMidBody().ForTarget(FaultTarget.Download).OnFirst(8));
        using var cancel = new CancellationTokenSource();
        int submitted = 0, saved = 0, submittedAtCancel = -1, savedAtCancel = -1, partsAtCancel = -1;
        var options = bench.Options();
        options.SubmitThrottle = 3;
        options.Output = line =>
        {
            bench.Lines.Enqueue(line);
            if (line.StartsWith("submitted ", StringComparison.Ordinal)) Interlocked.Increment(ref submitted);
            if (line.StartsWith("saved ", StringComparison.Ordinal)) Interlocked.Increment(ref saved);
        };
        var cancelledAt = new Stopwatch();
        void Cancel()
        {
            submittedAtCancel = Volatile.Read(ref submitted);
            savedAtCancel = Volatile.Read(ref saved);
            partsAtCancel = bench.PartFiles().Length;
            cancelledAt.Start();
            cancel.Cancel();
        }

        var run = Task.Run(() => BatchRun.RunAsync(options, cancel.Token));
        var watch = Stopwatch.StartNew();
        while (!cancel.IsCancellationRequested && !run.IsCompleted && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (phase == "submission" && Volatile.Read(ref submitted) >= 5) Cancel();
            else if (phase == "waiting" && Volatile.Read(ref submitted) == Images) { await Task.Delay(200); Cancel(); }
            else if (phase == "download" && bench.PartFiles().Length > 0) Cancel();
            else await Task.Delay(2);
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var took = cancelledAt.Elapsed;
        output.WriteLine($"cancelled {phase} with {submittedAtCancel} submitted, {savedAtCancel} saved, {partsAtCancel} temporary files; returned after {took.TotalMilliseconds:0} ms");
        Assert.True(took < Prompt, $"the run took {took} to stop");
        switch (phase)
        {
            case "submission": Assert.InRange(submittedAtCancel, 5, Images - 1); break;
            case "waiting": Assert.Equal((Images, 0), (submittedAtCancel, savedAtCancel)); break;
            case "download": Assert.True(partsAtCancel > 0 && savedAtCancel < Images); break;
        }

        // Nothing half-written, nothing still running, a journal every line of which parses and that opens again.
        Assert.Empty(bench.PartFiles());
        await Task.Delay(300); // answers to requests the run had already sent may still be logged
        var requests = bench.Emulator.Log.Entries.Count;
        await Task.Delay(700);
        Assert.Equal(requests, bench.Emulator.Log.Entries.Count);
        Assert.All(bench.JournalRecords(), r => Assert.True(r.TryGetProperty("kind", out _)));
        using (BatchJournal.Open(bench.JournalPath)) { }

        // The re-run finishes the batch without paying for anything twice.
        bench.Emulator.Options.Faults.Clear();
        var rerun = bench.Options();
        var result = await BatchRun.RunAsync(rerun, CancellationToken.None);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors.Select(e => e.Message)));
        bench.AssertComplete();
    }
}
