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

    [Fact]
    public async Task A_run_killed_after_sending_finds_its_task_through_the_recorded_external_id()
    {
        await using var e = await Emulated.StartAsync();
        var file = e.Png("late.png");
        var journalPath = Path.Combine(e.Folder, "batch.journal");
        // The first run got as far as recording its external id and sending, then died before the answer.
        e.Emulator.Options.Faults.Add(FaultRule.DropAfterAccept().ForTarget(FaultTarget.Create).OnFirst(1));
        {
            using var journal = BatchJournal.Open(journalPath);
            var key = RequestKey.Of(new ImageVideoRequest(KlingImage.FromFile(file)) { Prompt = "waves" });
            var id = journal.Claim(key, null, [file]).ExternalTaskId;
            await Assert.ThrowsAsync<KlingApiException>(() => e.Client.SubmitAsync(
                new ImageVideoRequest(KlingImage.FromFile(file)) { Prompt = "waves", ExternalTaskId = id }, new KlingCallOptions { MaximumRetryCount = 0 }));
        }
        Assert.Equal(1, e.Emulator.TasksCreated);

        var rerun = RunBatch(e, journalPath, new[] { file });

        Assert.Null(rerun.Single().Error);
        Assert.Equal(1, e.Emulator.TasksCreated);
        Assert.Equal(e.Emulator.Tasks.Single().TaskId, rerun.Single().Task!.TaskId);
    }
}
