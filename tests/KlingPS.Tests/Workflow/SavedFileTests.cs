using KlingPS.Tests.Support;

namespace KlingPS.Tests.Workflow;

/// <summary>
/// Saved files have identity: two tasks never share a file, nothing is overwritten or skipped silently, a video saved whole
/// (by task and video id) is skipped, -Force gives a name to the newer task, and a kill between rename and record is safe.
/// </summary>
public class SavedFileTests
{
    private sealed record SaveRun(List<BatchOutcome> Outcomes, List<string> Warnings)
    {
        public string PathOf(KlingTask task) => Outcomes.Single(o => o.Task!.TaskId == task.TaskId).File!.FullName;
    }

    private static async Task<KlingTask> FinishedTask(Emulated e, string image) =>
        await e.UntilFinalAsync(await e.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromFile(image))));

    private static string Image(Emulated e, string relative)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(e.Folder, relative))!);
        return e.Png(relative);
    }

    /// <summary>Saves the tasks in this order, as one run of Save-KlingVideo, and waits for every outcome.</summary>
    private static SaveRun Save(Emulated e, string folder, BatchJournal? journal, bool force, params KlingTask[] tasks)
    {
        var run = new SaveRun([], []);
        var options = new SaveOptions(folder) { Journal = journal, Force = force, Call = new KlingCallOptions { Warning = w => { lock (run) run.Warnings.Add(w); } } };
        using var saver = new VideoSaver(e.Client, options, o => { lock (run) run.Outcomes.Add(o); }, CancellationToken.None);
        foreach (var task in tasks) saver.Save(task);
        Assert.True(saver.WhenAllDone().Wait(Emulated.WaitLimit), "the downloads did not end within the time limit");
        Assert.All(run.Outcomes, o => Assert.Null(o.Error));
        return run;
    }

    private static int Downloads(Emulated e) => e.Emulator.Log.Entries.Count(l => l.Path.StartsWith("/files/", StringComparison.Ordinal));

    private static void AssertHolds(Emulated e, string path, KlingTask task) => Assert.Equal(e.Emulator.ExpectedVideoBytes(task.Videos[0].Id), File.ReadAllBytes(path));

    [Fact]
    public async Task Two_images_of_one_name_get_a_file_each_a_warning_says_where_and_a_re_run_skips_both_whatever_the_order()
    {
        await using var e = await Emulated.StartAsync();
        var a = await FinishedTask(e, Image(e, "a/cat.png"));
        var b = await FinishedTask(e, Image(e, "b/cat.png"));
        var clips = Path.Combine(e.Folder, "clips");
        using var journal = BatchJournal.Open(Path.Combine(e.Folder, "batch.journal"));

        var first = Save(e, clips, journal, false, a, b);

        Assert.Equal(Path.Combine(clips, "cat.mp4"), first.PathOf(a));
        Assert.Equal(Path.Combine(clips, $"cat-{b.TaskId}.mp4"), first.PathOf(b));
        AssertHolds(e, first.PathOf(a), a);
        AssertHolds(e, first.PathOf(b), b);
        Assert.Equal([$"{Path.Combine(clips, "cat.mp4")} is the video of task {a.TaskId}; the video of task {b.TaskId} is saved as {first.PathOf(b)} instead."], first.Warnings);

        e.Emulator.Log.Clear();
        using var again = BatchJournal.Open(Path.Combine(e.Folder, "batch.journal"));
        var rerun = Save(e, clips, again, false, b, a);

        Assert.All(rerun.Outcomes, o => Assert.Equal(BatchStep.Skipped, o.Step));
        Assert.Equal((first.PathOf(a), first.PathOf(b)), (rerun.PathOf(a), rerun.PathOf(b)));
        Assert.Equal(0, Downloads(e));
        Assert.Empty(rerun.Warnings);
    }

    [Fact]
    public async Task A_re_generated_image_goes_beside_the_earlier_video_with_a_warning_and_with_Force_takes_its_name()
    {
        await using var e = await Emulated.StartAsync();
        var image = Image(e, "cat.png");
        var clips = Path.Combine(e.Folder, "clips");
        var journalPath = Path.Combine(e.Folder, "batch.journal");
        var earlier = await FinishedTask(e, image);
        using (var journal = BatchJournal.Open(journalPath)) Save(e, clips, journal, false, earlier);
        var newer = await FinishedTask(e, image); // the same image with a new prompt: another task

        using (var journal = BatchJournal.Open(journalPath))
        {
            var beside = Save(e, clips, journal, false, newer);
            Assert.Equal(Path.Combine(clips, $"cat-{newer.TaskId}.mp4"), beside.PathOf(newer));
            Assert.Contains($"is the video of task {earlier.TaskId}; the video of task {newer.TaskId} is saved as", Assert.Single(beside.Warnings));
            AssertHolds(e, Path.Combine(clips, "cat.mp4"), earlier);
        }

        File.Delete(Path.Combine(clips, $"cat-{newer.TaskId}.mp4"));
        using (var journal = BatchJournal.Open(journalPath))
        {
            var forced = Save(e, clips, journal, true, newer);
            Assert.Equal(Path.Combine(clips, "cat.mp4"), forced.PathOf(newer));
            Assert.Empty(forced.Warnings);
            AssertHolds(e, Path.Combine(clips, "cat.mp4"), newer);
        }
        using var reread = BatchJournal.Open(journalPath);
        Assert.Equal(Path.Combine(clips, "cat.mp4"), reread.SavedPathOf(newer.TaskId, newer.Videos[0].Id));
        Assert.Null(reread.SavedPathOf(earlier.TaskId, earlier.Videos[0].Id)); // its file now holds the newer video
    }

    [Fact]
    public async Task A_kill_after_the_rename_and_before_saved_leaves_a_video_the_re_run_treats_as_saved()
    {
        await using var e = await Emulated.StartAsync();
        var task = await FinishedTask(e, Image(e, "cat.png"));
        var clips = Directory.CreateDirectory(Path.Combine(e.Folder, "clips")).FullName;
        var journalPath = Path.Combine(e.Folder, "batch.journal");
        var bytes = e.Emulator.ExpectedVideoBytes(task.Videos[0].Id);
        using (var killed = BatchJournal.Open(journalPath))
        {
            Assert.True(killed.TryRecordSaving(task.TaskId, task.Videos[0].Id, Path.Combine(clips, "cat.mp4"), bytes.Length, false));
            File.WriteAllBytes(Path.Combine(clips, "cat.mp4"), bytes); // the rename happened, then the process died
        }
        e.Emulator.Log.Clear();

        using var journal = BatchJournal.Open(journalPath);
        var rerun = Save(e, clips, journal, false, task);

        Assert.Equal((BatchStep.Skipped, Path.Combine(clips, "cat.mp4")), (rerun.Outcomes.Single().Step, rerun.PathOf(task)));
        Assert.Equal(0, Downloads(e));
    }

    [Fact]
    public async Task A_task_that_comes_back_without_its_images_is_named_after_those_the_journal_recorded()
    {
        await using var e = await Emulated.StartAsync();
        var image = Image(e, "harbour.png");
        var journalPath = Path.Combine(e.Folder, "batch.journal");
        var outcomes = new List<BatchOutcome>();
        using (var journal = BatchJournal.Open(journalPath))
        using (var submitter = new BatchSubmitter(e.Client, 1, journal, null, o => { lock (outcomes) outcomes.Add(o); }, CancellationToken.None))
        {
            submitter.Submit(new ImageVideoRequest(KlingImage.FromFile(image)), image);
            await submitter.WhenAllDone().WaitAsync(Emulated.WaitLimit);
        }
        var submitted = Assert.Single(outcomes).Task!;
        var fetched = await e.UntilFinalAsync(await e.Client.GetTaskAsync(submitted.Route, submitted.TaskId)); // as Get-KlingTask gives it
        Assert.Null(fetched.Source);

        using var reread = BatchJournal.Open(journalPath);
        var run = Save(e, Path.Combine(e.Folder, "clips"), reread, false, fetched);

        Assert.Equal(Path.Combine(e.Folder, "clips", "harbour.mp4"), run.PathOf(fetched));
    }
}
