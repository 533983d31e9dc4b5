using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Workflow;

public class JournalTests
{
    private static List<BatchOutcome> RunBatch(Emulated e, string journalPath, IEnumerable<string> files)
    {
        var results = new List<BatchOutcome>();
        using var journal = BatchJournal.Open(journalPath);
        using var submitter = new BatchSubmitter(e.Client, 4, journal, null, r => { lock (results) results.Add(r); }, CancellationToken.None);
        foreach (var f in files) submitter.Submit(new ImageVideoRequest(KlingImage.FromFile(f)) { Prompt = "waves" }, f);
        Assert.True(submitter.WhenAllDone().Wait(Emulated.WaitLimit), "the submissions did not end within the time limit");
        return results;
    }

    [Fact]
    public async Task Re_running_a_batch_with_its_journal_submits_nothing_twice()
    {
        await using var e = await Emulated.StartAsync(o => o.Concurrency = 10);
        var files = Enumerable.Range(1, 6).Select(i => e.Png($"img{i}.png")).ToList();
        var journal = Path.Combine(e.Folder, "batch.journal");

        var first = RunBatch(e, journal, files);
        var second = RunBatch(e, journal, files);

        Assert.All(first.Concat(second), r => Assert.Null(r.Error));
        Assert.Equal(6, e.Emulator.TasksCreated);
        Assert.Equal(first.Select(r => r.Task!.TaskId).OrderBy(x => x), second.Select(r => r.Task!.TaskId).OrderBy(x => x));
        Assert.Equal(6, e.Creates);
    }

    /// <summary>What a run killed mid-request leaves: its claim in the journal (its run gone), and maybe its request at the service.</summary>
    private static async Task<string> KilledMidRequestAsync(Emulated e, string journalPath, string file, bool requestArrived)
    {
        var request = new ImageVideoRequest(KlingImage.FromFile(file)) { Prompt = "waves" };
        string id;
        using (var journal = BatchJournal.Open(journalPath)) id = journal.Claim(RequestKey.Of(request), null, [file]).ExternalTaskId;
        if (requestArrived)
        {
            e.Emulator.Options.Faults.Add(FaultRule.DropAfterAccept().ForTarget(FaultTarget.Create).OnFirst(1));
            request.ExternalTaskId = id;
            await Assert.ThrowsAsync<KlingApiException>(() => e.Client.SubmitAsync(request, new KlingCallOptions { MaximumRetryCount = 0 }));
            e.Emulator.Options.Faults.Clear();
        }
        e.Emulator.Log.Clear();
        return id;
    }

    [Fact]
    public async Task A_claim_whose_run_was_killed_after_sending_is_looked_up_and_its_task_recorded_without_a_second_upload()
    {
        // A service that does not refuse a reused external id: only the look-up keeps the re-run from paying twice.
        await using var e = await Emulated.StartAsync(o => o.UniqueExternalTaskIds = false);
        var file = e.Png("late.png");
        var journalPath = Path.Combine(e.Folder, "batch.journal");
        var id = await KilledMidRequestAsync(e, journalPath, file, requestArrived: true);
        Assert.Equal(1, e.Emulator.TasksCreated);

        var rerun = RunBatch(e, journalPath, new[] { file });

        Assert.Null(rerun.Single().Error);
        Assert.Equal(1, e.Emulator.TasksCreated);
        Assert.Equal(0, e.Creates); // nothing uploaded
        var lookUp = Assert.Single(e.Emulator.Log.Entries);
        Assert.Equal(("GET", "/kling/v1/videos/image2video/" + id), (lookUp.Method, lookUp.Path));
        Assert.Equal(e.Emulator.Tasks.Single().TaskId, rerun.Single().Task!.TaskId);
        var third = RunBatch(e, journalPath, new[] { file }); // recorded: known from now on
        Assert.Equal(rerun.Single().Task!.TaskId, third.Single().Task!.TaskId);
        Assert.Equal(0, e.Creates);
    }

    [Fact]
    public async Task A_claim_whose_run_was_killed_before_sending_is_looked_up_and_then_sent_with_its_id()
    {
        await using var e = await Emulated.StartAsync(o => o.UniqueExternalTaskIds = false);
        var file = e.Png("early.png");
        var journalPath = Path.Combine(e.Folder, "batch.journal");
        var id = await KilledMidRequestAsync(e, journalPath, file, requestArrived: false);

        var rerun = RunBatch(e, journalPath, new[] { file });

        Assert.Null(rerun.Single().Error);
        Assert.Equal(["GET 404", "POST 200"], e.Emulator.Log.Entries.Select(l => $"{l.Method} {l.Status}"));
        Assert.Equal(id, e.Emulator.Tasks.Single().ExternalTaskId);
    }
}
