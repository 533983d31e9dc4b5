using System.Management.Automation;
using System.Text.Json.Nodes;
using KlingPS.Emulator;
using KlingPS.Tests.Emulation;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>
/// Issue 15 end to end in real PowerShell: a task submitted with -CallbackUrl, the emulator's callbacks received on a
/// loopback endpoint, and each one run through the webhook runbook ($WebhookData | ConvertFrom-KlingCallback | Save-KlingVideo).
/// Forged callbacks save nothing the service did not confirm.
/// </summary>
public class CallbackRunbookTests
{
    private static Task<Emulated> StartAsync(Action<EmulatorOptions>? configure = null) => Emulated.StartAsync(o =>
    {
        o.CallbackSecret = WebhookRunbook.Secret;
        configure?.Invoke(o);
    });

    private static List<RequestLogEntryView> Downloads(Emulated e) =>
        e.Emulator.Log.Entries.Where(x => x.Path.StartsWith("/files/", StringComparison.Ordinal)).Select(x => new RequestLogEntryView(x.Path, x.Status)).ToList();

    private sealed record RequestLogEntryView(string Path, int Status);

    [Fact]
    public async Task Every_callback_of_a_submitted_task_delivered_twice_saves_its_video_once()
    {
        await using var e = await StartAsync(o => o.DuplicateCallbacks = true);
        await using var receiver = await CallbackReceiver.StartAsync();
        var clips = Path.Combine(e.Folder, "clips");
        var journal = Path.Combine(e.Folder, "callbacks.journal");
        using var powershell = await HostedPowerShell.OpenAsync(e.Emulator.BaseUri);

        var submit = await powershell.RunAsync("param($Image, $Url) New-KlingImageVideo -Path $Image -CallbackUrl $Url -ExternalTaskId cb-e2e",
            new() { ["Image"] = e.Png("cat.png"), ["Url"] = receiver.Url });
        Assert.False(submit.Threw || submit.Errors.Count > 0, submit.Describe());
        // submitted, processing, succeed: each twice
        var callbacks = await receiver.WaitForAsync(r => r.Count == 6, seconds: 30);

        var files = new List<FileInfo>();
        foreach (var callback in callbacks)
        {
            // Each callback starts its own job of the webhook runbook, as in Azure Automation; they share a Hybrid Worker's folder.
            var run = await powershell.RunAsync(WebhookRunbook.SaveSucceeded, WebhookRunbook.Parameters(callback, clips, journal));
            Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
            files.AddRange(run.Objects<FileInfo>());
        }

        var task = Assert.Single(e.Emulator.Tasks);
        Assert.Equal("cb-e2e", task.ExternalTaskId);
        var saved = Assert.Single(Directory.GetFiles(clips));
        Assert.Equal(e.Emulator.ExpectedVideoBytes(task.VideoId), File.ReadAllBytes(saved));
        // Every job that saw the task succeeded wrote the one file; the journal kept all but the first from downloading it again.
        Assert.Equal(callbacks.Count, files.Count);
        Assert.All(files, f => Assert.Equal(saved, f.FullName));
        Assert.Equal([new RequestLogEntryView($"/files/{task.VideoId}.mp4", 200)], Downloads(e));
    }

    [Fact]
    public async Task A_callback_of_a_task_still_running_gives_the_task_as_the_service_has_it_and_saves_nothing()
    {
        await using var e = await StartAsync(o => o.GenerationTime = TimeSpan.FromMinutes(5));
        await using var receiver = await CallbackReceiver.StartAsync();
        var clips = Path.Combine(e.Folder, "clips");
        var task = await e.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromFile(e.Png("cat.png"))) { CallbackUrl = receiver.Url });
        var callbacks = await receiver.WaitForAsync(r => r.Count == 2);
        using var powershell = await HostedPowerShell.OpenAsync(e.Emulator.BaseUri);

        foreach (var callback in callbacks)
        {
            var read = await powershell.RunAsync(WebhookRunbook.Param + "\n" + WebhookRunbook.MakeWebhookData + "\n$WebhookData | ConvertFrom-KlingCallback",
                WebhookRunbook.Parameters(callback));
            var saving = await powershell.RunAsync(WebhookRunbook.SaveSucceeded, WebhookRunbook.Parameters(callback, clips, Path.Combine(e.Folder, "j.journal")));

            Assert.False(read.Threw || read.Errors.Count > 0 || saving.Threw || saving.Errors.Count > 0, read.Describe() + saving.Describe());
            var written = Assert.Single(read.Output);
            var running = Assert.IsType<KlingTask>(written.BaseObject);
            // Whatever the callback said (submitted, then processing), the task is written as the service has it now.
            Assert.Equal((task.TaskId, KlingTaskStatus.Processing), (running.TaskId, running.Status));
            Assert.Equal(true, written.Properties["ConfirmedByService"].Value);
            Assert.Empty(saving.Output);
        }
        Assert.Equal(["processing", "submitted"], callbacks.Select(WebhookRunbook.Status).Order());
        Assert.False(Directory.Exists(clips) && Directory.EnumerateFileSystemEntries(clips).Any());
    }

    [Fact]
    public async Task A_forged_callback_saves_nothing_the_service_did_not_confirm()
    {
        await using var e = await Emulated.StartAsync();
        await using var receiver = await CallbackReceiver.StartAsync();
        var clips = Path.Combine(e.Folder, "clips");
        var real = await e.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromFile(e.Png("cat.png"))) { CallbackUrl = receiver.Url });
        // Another task of the account, whose video differs: what a forger would like saved in place of the real one.
        var other = await e.UntilFinalAsync(await e.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromFile(e.Png("dog.png", 700, 500)))));
        var final = (await receiver.WaitForAsync(r => r.Any(c => WebhookRunbook.Status(c) == "succeed"))).Single(c => WebhookRunbook.Status(c) == "succeed");
        var realVideo = Assert.Single(e.Emulator.Tasks, t => t.TaskId == real.TaskId).VideoId;
        var otherVideo = Assert.Single(e.Emulator.Tasks, t => t.TaskId == other.TaskId).VideoId;
        Assert.NotEqual(e.Emulator.ExpectedVideoBytes(realVideo), e.Emulator.ExpectedVideoBytes(otherVideo));
        using var powershell = await HostedPowerShell.OpenAsync(e.Emulator.BaseUri);
        const string Runbook = WebhookRunbook.Param + "\n" + WebhookRunbook.MakeWebhookData + "\n$WebhookData | ConvertFrom-KlingCallback | Save-KlingVideo -Path $Clips";
        e.Emulator.Log.Clear();

        var unknownId = WebhookRunbook.Forge(final.Body, body => body["task_id"] = "4242424242424242");
        var unknown = await powershell.RunAsync(Runbook, WebhookRunbook.Parameters(unknownId, final.Headers, clips));

        Assert.False(unknown.Threw, unknown.Describe());
        Assert.Empty(unknown.Output);
        var error = Assert.Single(unknown.Errors);
        Assert.StartsWith("KlingNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(unknownId, error.TargetObject);
        Assert.False(Directory.Exists(clips));

        var otherUrl = WebhookRunbook.Forge(final.Body, body => body["task_result"]!["videos"]![0]!["url"] = other.Videos[0].Url.ToString());
        var known = await powershell.RunAsync(Runbook, WebhookRunbook.Parameters(otherUrl, final.Headers, clips));

        Assert.False(known.Threw || known.Errors.Count > 0, known.Describe());
        var saved = Assert.Single(known.Objects<FileInfo>());
        Assert.Equal(e.Emulator.ExpectedVideoBytes(realVideo), File.ReadAllBytes(saved.FullName));
        Assert.Equal([new RequestLogEntryView($"/files/{realVideo}.mp4", 200)], Downloads(e));
    }
}
