namespace KlingPS.Tests.Workflow;

/// <summary>
/// Claims: a request is sent by one run at a time, with an external id that derives from the journal and the request; a
/// live run's claim is waited for, a dead run's claim is taken over with its id.
/// </summary>
public sealed class JournalClaimTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("klingps-claims-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Image(string name, int width)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, Support.TestImages.Png(width, 320));
        return path;
    }

    private static string KeyOf(string image) => RequestKey.Of(new ImageVideoRequest(KlingImage.FromFile(image)) { Prompt = "waves" });

    [Fact]
    public void A_request_gets_the_same_derived_id_in_every_run_of_a_journal_another_in_another_journal_and_a_changed_image_is_another_request()
    {
        var image = Image("cat.png", 320);
        var key = KeyOf(image);
        string first;
        using (var journal = BatchJournal.Open(Path.Combine(_folder, "a.journal"))) first = journal.Claim(key, null, [image]).ExternalTaskId;
        using (var journal = BatchJournal.Open(Path.Combine(_folder, "a.journal")))
        {
            var again = journal.Claim(key, null, [image]); // the first run ended without a task: its claim is taken over
            Assert.Equal((ClaimStep.Send, first), (again.Step, again.ExternalTaskId));
        }
        using (var other = BatchJournal.Open(Path.Combine(_folder, "b.journal")))
        {
            var elsewhere = other.Claim(key, null, [image]).ExternalTaskId;
            Assert.Matches("^klingps-[0-9a-f]{32}$", elsewhere);
            Assert.NotEqual(first, elsewhere);
        }
        Assert.Matches("^klingps-[0-9a-f]{32}$", first);

        File.WriteAllBytes(image, Support.TestImages.Png(330, 320)); // re-generated under the same name
        Assert.NotEqual(key, KeyOf(image));
        Assert.NotEqual(KeyOf(image), KeyOf(Image("copy-of-cat.png", 330))); // the same bytes elsewhere: the path is part of it
    }

    [Fact]
    public void A_live_runs_claim_is_waited_for_and_taken_over_with_its_id_once_the_run_has_ended()
    {
        var path = Path.Combine(_folder, "batch.journal");
        var image = Image("cat.png", 320);
        var key = KeyOf(image);
        var sending = BatchJournal.Open(path);
        var id = sending.Claim(key, null, [image]).ExternalTaskId;

        using var other = BatchJournal.Open(path);
        var busy = other.Claim(key, null, [image]);
        Assert.Equal((ClaimStep.Busy, id), (busy.Step, busy.ExternalTaskId));
        Assert.Equal(ClaimStep.Busy, sending.Claim(key, null, [image]).Step); // another item of the same run: waits too

        sending.Dispose(); // the run ends (or is killed) without recording a task
        var taken = other.Claim(key, null, [image]);
        Assert.Equal((ClaimStep.Send, id), (taken.Step, taken.ExternalTaskId));
        Assert.Empty(Directory.GetFiles(_folder, ".klingps-" + sending.RunId + ".run"));
    }

    [Fact]
    public void A_released_claim_may_be_sent_again_at_once_and_a_recorded_task_is_known_to_every_run()
    {
        var path = Path.Combine(_folder, "batch.journal");
        var image = Image("cat.png", 320);
        var key = KeyOf(image);
        using var first = BatchJournal.Open(path);
        using var second = BatchJournal.Open(path);
        var id = first.Claim(key, null, [image]).ExternalTaskId;
        first.Release(key);

        Assert.Equal((ClaimStep.Send, id), (second.Claim(key, null, [image]).Step, id));
        second.RecordSubmitted(key, new KlingTask("4242", KlingRoute.ImageToVideo, KlingTaskStatus.Submitted, null, id, null, null, [], null, image));

        var known = first.Claim(key, null, [image]);
        Assert.Equal((ClaimStep.Known, "4242", image), (known.Step, known.Task!.TaskId, known.Task.Sources.Single()));
    }
}
