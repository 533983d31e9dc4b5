using System.Management.Automation;
using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>
/// Answers of the service that misbehave, as a user meets them: each is an ErrorRecord with an id of its own, for the
/// item it concerns, with the module's advice; nothing else is harmed.
/// </summary>
public class MisbehavingAnswerTests
{
    [Fact]
    public async Task An_answer_that_inflates_past_the_cap_is_one_KlingAnswerTooLarge_error_with_advice()
    {
        await using var emulated = await Emulated.StartAsync();
        var task = await emulated.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromUrl(new Uri("https://example.com/cat.jpg"))));
        emulated.Emulator.Options.Faults.Add(FaultRule.OversizedAnswer(256L << 20, gzip: true).ForTarget(FaultTarget.Query));
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync("param($Id) Get-KlingTask -TaskId $Id -MaximumRetryCount 0", new() { ["Id"] = task.TaskId });

        Assert.False(run.Threw, run.Describe());
        Assert.Empty(run.Output);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("KlingAnswerTooLarge,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
        Assert.Equal(task.TaskId, error.TargetObject);
        Assert.Contains("past 16 MiB", error.Exception.Message);
        Assert.Contains("-BaseUri", error.ErrorDetails?.RecommendedAction);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task One_task_with_a_malformed_field_is_one_KlingBadTaskField_error_and_the_wait_goes_on(bool list)
    {
        await using var emulated = await Emulated.StartAsync(o => o.ListEndpointSupported = list);
        var images = new[] { emulated.Png("cat.png"), emulated.Png("dog.png", 700, 500), emulated.Png("owl.png", 800, 600) };
        emulated.Emulator.Options.Faults.Add(FaultRule.BadTaskField("created_at", "1e20").ForTask(externalTaskId: "dog-1"));
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync("""
            param($Images)
            $Images | ForEach-Object { New-KlingImageVideo -LiteralPath $_ -ExternalTaskId ([IO.Path]::GetFileNameWithoutExtension($_) + '-1') } |
                Wait-KlingTask -PollIntervalSec 1 -MaximumRetryCount 1
            """, new() { ["Images"] = images });

        Assert.False(run.Threw, run.Describe());
        Assert.Equal(["cat-1", "owl-1"], run.Objects<KlingTask>().Select(t => t.ExternalTaskId).Order());
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("KlingBadTaskField,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
        var task = Assert.IsType<KlingTask>(error.TargetObject);
        Assert.Equal("dog-1", task.ExternalTaskId);
        Assert.Contains($"malformed created_at for task {task.TaskId}: 1e20", error.Exception.Message);
    }

    [Fact]
    public async Task A_list_page_with_one_bad_entry_writes_the_other_tasks_and_one_error()
    {
        await using var emulated = await Emulated.StartAsync();
        foreach (var id in new[] { "ok-1", "bad-2", "ok-3" })
            await emulated.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromUrl(new Uri("https://example.com/cat.jpg"))) { ExternalTaskId = id });
        emulated.Emulator.Options.Faults.Add(FaultRule.BadTaskField("task_status", "42").ForTask(externalTaskId: "bad-2"));
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync("Get-KlingTask -PageSize 10");

        Assert.Equal(["ok-1", "ok-3"], run.Objects<KlingTask>().Select(t => t.ExternalTaskId).Order());
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("KlingBadTaskField,", error.FullyQualifiedErrorId);
        Assert.Equal(emulated.Emulator.Tasks.Single(t => t.ExternalTaskId == "bad-2").TaskId, error.TargetObject);
    }

    [Fact]
    public async Task A_create_answered_without_a_task_id_is_an_error_that_says_how_to_find_the_task()
    {
        await using var emulated = await Emulated.StartAsync(o =>
        {
            o.Faults.Add(FaultRule.MissingTaskId());
            o.Faults.Add(FaultRule.Status(404, klingCode: 1203).ForTarget(FaultTarget.Query)); // the look-up finds nothing either
        });
        var image = emulated.Png("cat.png");
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync("param($Image) New-KlingImageVideo -LiteralPath $Image -ExternalTaskId cat-1", new() { ["Image"] = image });

        Assert.Empty(run.Output);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("KlingMissingTaskId,", error.FullyQualifiedErrorId);
        Assert.Equal(image, error.TargetObject);
        Assert.Contains("external id cat-1", error.Exception.Message);
        Assert.Contains("Get-KlingTask -ExternalTaskId cat-1", error.ErrorDetails?.RecommendedAction);
        Assert.Equal(1, emulated.Creates);
    }

    [Fact]
    public async Task Two_creates_answered_with_one_task_id_give_one_task_and_one_KlingRepeatedTaskId_error()
    {
        await using var emulated = await Emulated.StartAsync(o =>
        {
            o.Faults.Add(FaultRule.RepeatedTaskId()); // every create after the first answers with the one before it
            o.Faults.Add(FaultRule.Status(404, klingCode: 1203).ForTarget(FaultTarget.Query));
        });
        var images = new[] { emulated.Png("cat.png"), emulated.Png("dog.png", 700, 500) };
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        // One at a time, so that the second create is answered with the first one's task id.
        var run = await powershell.RunAsync("param($Images) $Images | New-KlingImageVideo -ThrottleLimit 1", new() { ["Images"] = images });

        var task = Assert.Single(run.Objects<KlingTask>());
        Assert.Equal(images[0], task.Source);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("KlingRepeatedTaskId,", error.FullyQualifiedErrorId);
        var exception = Assert.IsType<KlingApiException>(error.Exception);
        Assert.NotEqual(task.ExternalTaskId, exception.ExternalTaskId);
        Assert.Contains($"task {task.TaskId}, which it had already given to external id {task.ExternalTaskId}", exception.Message);
        Assert.Equal(images[1], error.TargetObject);
        Assert.Equal(2, emulated.Emulator.TasksCreated); // both images were paid for: the error says where the second task is
    }

    [Theory]
    [InlineData("Get-KlingTask -TaskId $Id")]
    [InlineData("Get-KlingTask -ExternalTaskId $Id")]
    [InlineData("$Task | Wait-KlingTask")]
    [InlineData("$Task | Save-KlingVideo -Path $Folder")]
    public async Task A_task_id_of_dot_dot_is_a_TaskIdInvalid_error_and_nothing_is_sent(string command)
    {
        await using var emulated = await Emulated.StartAsync();
        var task = new KlingTask("..", KlingRoute.ImageToVideo, KlingTaskStatus.Succeeded, null, null, null, null,
            [new KlingVideo("v1", new Uri(emulated.Emulator.BaseUri, "files/v1.mp4"), TimeSpan.FromSeconds(5), "..")], null, null);
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync("param($Id, $Task, $Folder) " + command, new() { ["Id"] = "..", ["Task"] = task, ["Folder"] = emulated.Folder });

        Assert.False(run.Threw, run.Describe());
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("TaskIdInvalid,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Empty(emulated.Emulator.Log.Entries);
    }
}
