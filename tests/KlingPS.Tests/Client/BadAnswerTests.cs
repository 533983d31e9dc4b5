using System.Text.Json;
using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Client;

/// <summary>
/// One bad answer harms one task: a malformed field of one task (the emulator's BadTaskField) fails that task with an
/// error naming it and the field, in single queries, list pages and waits, while the others go on; a create answered
/// without a task id (MissingTaskId) or with another submission's (RepeatedTaskId) is looked up by its external id and
/// never sent again; ids that would collapse a URL are refused before anything is sent.
/// </summary>
public class BadAnswerTests
{
    private static ImageVideoRequest UrlRequest(string externalId) =>
        new(KlingImage.FromUrl(new Uri("https://example.com/cat.jpg"))) { ExternalTaskId = externalId };

    private static readonly KlingCallOptions Once = new() { MaximumRetryCount = 0 };

    [Theory]
    [InlineData("created_at", "1e20")]
    [InlineData("created_at", "9000000000000000")]
    [InlineData("updated_at", "\"soon\"")]
    [InlineData("task_status", "42")]
    [InlineData("task_info", "\"x\"")]
    [InlineData("task_result.videos[0]", "\"not-an-object\"")]
    [InlineData("task_result.videos[0].url", "17")]
    [InlineData("task_result.videos[0].url", "\"not a url\"")]
    public async Task A_malformed_field_of_a_queried_task_is_an_error_naming_the_task_and_the_field(string field, string value)
    {
        await using var e = await Emulated.StartAsync();
        var task = await e.Client.SubmitAsync(UrlRequest("cat-1"));
        e.Emulator.Log.Clear(); // the submission's own look-up-first and create are not what is counted
        e.Emulator.Options.Faults.Add(FaultRule.BadTaskField(field, value).ForTask(taskId: task.TaskId));

        var x = await Assert.ThrowsAsync<KlingApiException>(() => e.Client.GetTaskAsync(task.Route, task.TaskId, Once));

        Assert.Equal((KlingErrorKind.InvalidResponse, FailureCause.BadTaskField), (x.Kind, x.Cause));
        Assert.Contains($"malformed {field} for task {task.TaskId}", x.Message);
        Assert.Equal(task.TaskId, x.Target);
        Assert.True(x.IsRetryable);
    }

    [Fact]
    public async Task A_malformed_field_that_reads_right_on_the_next_query_is_retried_by_the_rules()
    {
        await using var e = await Emulated.StartAsync();
        var task = await e.Client.SubmitAsync(UrlRequest("cat-1"));
        e.Emulator.Log.Clear(); // the submission's own look-up-first and create are not what is counted
        e.Emulator.Options.Faults.Add(FaultRule.BadTaskField("task_status", "42").ForTarget(FaultTarget.Query).AtMost(1));

        var fresh = await e.Client.GetTaskAsync(task.Route, task.TaskId);

        Assert.Equal(task.TaskId, fresh.TaskId);
        Assert.Equal(2, e.Emulator.Log.Count("GET", "/kling/v1/videos/image2video/"));
    }

    [Fact]
    public async Task A_list_page_with_one_bad_entry_gives_the_other_tasks_and_one_error()
    {
        await using var e = await Emulated.StartAsync();
        foreach (var id in new[] { "ok-1", "bad-2", "ok-3" }) await e.Client.SubmitAsync(UrlRequest(id));
        var bad = e.Emulator.Tasks.Single(t => t.ExternalTaskId == "bad-2").TaskId;
        e.Emulator.Options.Faults.Add(FaultRule.BadTaskField("created_at", "1e20").ForTask(externalTaskId: "bad-2"));

        var page = await e.Client.ListTasksAsync(KlingRoute.ImageToVideo, 1, 10, Once);

        Assert.Equal(["ok-1", "ok-3"], page.Tasks.Select(t => t.ExternalTaskId).Order());
        var error = Assert.Single(page.Failures);
        Assert.Equal((bad, FailureCause.BadTaskField), (error.Target, error.Cause));
        Assert.Contains($"malformed created_at for task {bad}: 1e20 is not a time", error.Message);
    }

    [Theory]
    [InlineData(true, "created_at", "1e20")]
    [InlineData(false, "created_at", "1e20")]
    [InlineData(true, "task_result.videos[0]", "\"not-an-object\"")]
    [InlineData(false, "task_status", "42")]
    public async Task A_wait_ends_with_an_error_for_the_one_bad_task_while_the_others_finish(bool list, string field, string value)
    {
        await using var e = await Emulated.StartAsync(o => { o.Concurrency = 10; o.ListEndpointSupported = list; });
        var tasks = new List<KlingTask>();
        foreach (var id in new[] { "ok-1", "bad-2", "ok-3" }) tasks.Add(await e.Client.SubmitAsync(UrlRequest(id)));
        e.Emulator.Options.Faults.Add(FaultRule.BadTaskField(field, value).ForTask(externalTaskId: "bad-2"));
        var waiter = new TaskWaiter(e.Client, Emulated.FastWait());
        var finished = new List<KlingTask>();
        var failed = new List<(KlingTask Task, KlingApiException Error)>();
        waiter.Finished += t => { lock (finished) finished.Add(t); };
        waiter.QueryFailed += (t, x) => { lock (failed) failed.Add((t, x)); };
        foreach (var t in tasks) waiter.Add(t);
        waiter.Complete();

        await waiter.RunAsync(CancellationToken.None).WaitAsync(Emulated.WaitLimit);

        Assert.Equal(["ok-1", "ok-3"], finished.Select(t => t.ExternalTaskId).Order());
        Assert.All(finished, t => Assert.Equal(KlingTaskStatus.Succeeded, t.Status));
        var (task, error) = Assert.Single(failed);
        Assert.Equal("bad-2", task.ExternalTaskId);
        Assert.Equal(FailureCause.BadTaskField, error.Cause);
        Assert.Contains($"malformed {field} for task {task.TaskId}", error.Message);
    }

    [Fact]
    public async Task A_wait_ends_with_an_error_for_a_task_whose_answers_stay_oversized_instead_of_polling_for_ever()
    {
        await using var e = await Emulated.StartAsync(o => o.ListEndpointSupported = false);
        var task = await e.Client.SubmitAsync(UrlRequest("big-1"));
        e.Emulator.Log.Clear(); // the submission's own look-up-first and create are not what is counted
        e.Emulator.Options.Faults.Add(FaultRule.OversizedAnswer(64L << 20, gzip: true).ForTarget(FaultTarget.Query));
        var waiter = new TaskWaiter(e.Client, Emulated.FastWait());
        var failed = new List<KlingApiException>();
        waiter.QueryFailed += (_, x) => failed.Add(x);
        waiter.Add(task);
        waiter.Complete();

        await waiter.RunAsync(CancellationToken.None).WaitAsync(Emulated.WaitLimit);

        Assert.Equal(FailureCause.AnswerTooLarge, Assert.Single(failed).Cause);
        Assert.Equal(5, e.Emulator.Log.Count("GET", "/kling/v1/videos/image2video/")); // the first query and its 4 retries
    }

    [Fact]
    public async Task A_create_answered_without_a_task_id_is_looked_up_by_its_external_id_once_and_never_sent_again()
    {
        await using var e = await Emulated.StartAsync();
        e.Emulator.Options.Faults.Add(FaultRule.MissingTaskId().OnFirst(1));

        var task = await e.Client.SubmitAsync(UrlRequest("cat-1"));

        Assert.Equal(e.Emulator.Tasks.Single().TaskId, task.TaskId);
        Assert.Equal(1, e.Creates);
        // After the create (an explicit external id is also looked up once before it): one look-up, no second create.
        Assert.Equal(["/kling/v1/videos/image2video/cat-1"], e.Emulator.Log.Entries.SkipWhile(l => l.Method != "POST").Where(l => l.Method == "GET").Select(l => l.Path));
    }

    [Fact]
    public async Task A_create_answered_without_a_task_id_that_the_look_up_cannot_find_is_an_error_naming_the_external_id()
    {
        await using var e = await Emulated.StartAsync();
        e.Emulator.Options.Faults.Add(FaultRule.MissingTaskId());
        e.Emulator.Options.Faults.Add(FaultRule.Status(404, klingCode: 1203).ForTarget(FaultTarget.Query));

        var x = await Assert.ThrowsAsync<KlingApiException>(() => e.Client.SubmitAsync(UrlRequest("cat-1")));

        Assert.Equal((FailureCause.MissingTaskId, "cat-1", true), (x.Cause, x.ExternalTaskId, x.OutcomeUnknown));
        Assert.Contains("without a task id; the task may exist under external id cat-1", x.Message);
        Assert.Equal(1, e.Creates); // the service accepted it: sending it again could pay twice
        Assert.Equal(1, e.Emulator.TasksCreated);
    }

    [Fact]
    public async Task A_create_answered_with_another_submissions_task_id_gets_its_own_task_by_its_external_id()
    {
        await using var e = await Emulated.StartAsync();
        var first = await e.Client.SubmitAsync(UrlRequest("cat-1"));
        e.Emulator.Options.Faults.Add(FaultRule.RepeatedTaskId().AtMost(1));

        var second = await e.Client.SubmitAsync(UrlRequest("dog-2"));

        Assert.NotEqual(first.TaskId, second.TaskId);
        Assert.Equal(e.Emulator.Tasks.Single(t => t.ExternalTaskId == "dog-2").TaskId, second.TaskId);
        Assert.Equal(2, e.Creates);
        Assert.Contains(e.Emulator.Log.Entries, l => l.Fault == "RepeatedTaskId");
    }

    [Fact]
    public async Task A_repeated_task_id_that_the_look_up_cannot_resolve_is_an_error_for_that_submission_only()
    {
        await using var e = await Emulated.StartAsync();
        var first = await e.Client.SubmitAsync(UrlRequest("cat-1"));
        e.Emulator.Options.Faults.Add(FaultRule.RepeatedTaskId());
        e.Emulator.Options.Faults.Add(FaultRule.Status(404, klingCode: 1203).ForTarget(FaultTarget.Query));

        var x = await Assert.ThrowsAsync<KlingApiException>(() => e.Client.SubmitAsync(UrlRequest("dog-2")));

        Assert.Equal((FailureCause.RepeatedTaskId, "dog-2"), (x.Cause, x.ExternalTaskId));
        Assert.Contains($"task {first.TaskId}, which it had already given to external id cat-1", x.Message);
        Assert.Equal(2, e.Creates);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(" .. ")]
    public async Task Ids_that_would_collapse_the_query_URL_are_refused_before_anything_is_sent(string id)
    {
        await using var e = await Emulated.StartAsync();
        var task = new KlingTask(id, KlingRoute.ImageToVideo, KlingTaskStatus.Submitted, null, null, null, null, [], null, null);

        var query = await Assert.ThrowsAsync<KlingValidationException>(() => e.Client.GetTaskAsync(KlingRoute.ImageToVideo, id));
        var lookup = await Assert.ThrowsAsync<KlingValidationException>(() => e.Client.FindByExternalIdAsync(KlingRoute.MultiImageToVideo, id));
        var wait = Assert.Throws<KlingValidationException>(() => new TaskWaiter(e.Client).Add(task));

        Assert.All([query, lookup, wait], x => Assert.Equal(ValidationErrorIds.TaskIdInvalid, x.ErrorId));
        Assert.Empty(e.Emulator.Log.Entries);
    }

    [Theory]
    [InlineData("{\"task_status\":\"submitted\"}", "task_id")]
    [InlineData("{\"task_id\":\"..\",\"task_status\":\"submitted\"}", "task_id")]
    [InlineData("{\"task_id\":\"7\",\"task_result\":{\"videos\":[null]}}", "task_result.videos[0]")]
    [InlineData("[1]", "data")]
    public void The_mapper_names_the_field_that_is_wrong(string data, string field)
    {
        var x = Assert.Throws<TaskFieldException>(() => TaskMapper.ToTask(JsonDocument.Parse(data).RootElement, KlingRoute.ImageToVideo, null));
        Assert.Equal(field, x.Field);
    }
}
