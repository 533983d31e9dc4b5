using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>
/// -ExternalTaskId: a task that already has the id is found with one GET before anything is uploaded; with a journal, an id
/// that was used for another image is a warning, and the service's answer decides.
/// </summary>
public class ExternalIdTests
{
    private static int Uploads(Emulated emulated) => emulated.Creates;

    [Fact]
    public async Task An_explicit_external_id_is_looked_up_before_the_image_is_uploaded()
    {
        await using var emulated = await Emulated.StartAsync();
        var image = emulated.Png("cat.png");
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);
        const string script = "param($Image) New-KlingImageVideo -LiteralPath $Image -ExternalTaskId 'cat-job-1'";

        var first = await powershell.RunAsync(script, new() { ["Image"] = image });
        Assert.False(first.Threw || first.Errors.Count > 0, first.Describe());
        Assert.Equal(["GET 404", "POST 200"], emulated.Emulator.Log.Entries.Select(l => $"{l.Method} {l.Status}"));
        emulated.Emulator.Log.Clear();

        var again = await powershell.RunAsync(script + " -Verbose", new() { ["Image"] = image });

        Assert.False(again.Threw || again.Errors.Count > 0, again.Describe());
        Assert.Equal(first.Objects<KlingTask>().Single().TaskId, again.Objects<KlingTask>().Single().TaskId);
        var lookUp = Assert.Single(emulated.Emulator.Log.Entries); // one GET, nothing uploaded
        Assert.Equal(("GET", "/kling/v1/videos/image2video/cat-job-1", 200), (lookUp.Method, lookUp.Path, lookUp.Status));
        Assert.Equal(0, Uploads(emulated));
        Assert.Contains(again.Verbose, v => v.Message.Contains("already has task", StringComparison.Ordinal));
        Assert.Equal(1, emulated.Emulator.TasksCreated);
    }

    [Fact]
    public async Task An_external_id_the_journal_shows_for_another_image_is_a_warning_and_the_service_decides()
    {
        await using var emulated = await Emulated.StartAsync();
        var cat = emulated.Png("cat.png");
        var dog = emulated.Png("dog.png", 700, 500);
        var journal = Path.Combine(emulated.Folder, "batch.journal");
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);
        const string script = "param($Image, $Journal) New-KlingImageVideo -LiteralPath $Image -ExternalTaskId 'pet-1' -JournalPath $Journal";

        var first = await powershell.RunAsync(script, new() { ["Image"] = cat, ["Journal"] = journal });
        Assert.False(first.Threw || first.Errors.Count > 0 || first.Warnings.Count > 0, first.Describe());
        emulated.Emulator.Log.Clear();

        var reused = await powershell.RunAsync(script, new() { ["Image"] = dog, ["Journal"] = journal });

        Assert.False(reused.Threw || reused.Errors.Count > 0, reused.Describe());
        var warning = Assert.Single(reused.Warnings).Message;
        Assert.Equal($"External id pet-1 (dog.png) was used before in journal {journal} for another request (cat.png): " +
            "if the service has a task with it, that task is the one given back, and nothing new is created.", warning);
        // The service has a task with that id: it is the answer, and dog.png was never uploaded.
        Assert.Equal(first.Objects<KlingTask>().Single().TaskId, reused.Objects<KlingTask>().Single().TaskId);
        Assert.Equal(0, Uploads(emulated));
        Assert.Equal(1, emulated.Emulator.TasksCreated);
    }
}
