using System.Text.Json;
using KlingPS.Core.Client;
using KlingPS.Emulator;
using KlingPS.Tests.Support;
using KlingPS.Core.Wire;

namespace KlingPS.Tests.Client;

/// <summary>Queries, lists and the parsing of every response shape of the API README.</summary>
public class QueryTests
{
    private static ImageVideoRequest UrlRequest(string? ext = null) => new(KlingImage.FromUrl(new Uri("https://example.com/cat.jpg"))) { ExternalTaskId = ext };

    [Fact]
    public async Task A_task_goes_from_submitted_to_succeeded_with_a_video()
    {
        await using var e = await Emulated.StartAsync();
        var seen = new List<KlingTaskStatus>();
        var task = await e.UntilFinalAsync(await e.Client.SubmitAsync(UrlRequest()), pollMs: 40, answered: t => seen.Add(t.Status));

        Assert.Contains(KlingTaskStatus.Processing, seen);
        Assert.Equal(KlingTaskStatus.Succeeded, task.Status);
        var video = Assert.Single(task.Videos);
        Assert.Equal(task.TaskId, video.TaskId);
        Assert.Equal(TimeSpan.FromSeconds(5), video.Duration);
        Assert.Equal("localhost", video.Url.Host);
        Assert.NotNull(task.CreatedAt);
        Assert.True(task.UpdatedAt >= task.CreatedAt);
    }

    [Fact]
    public async Task A_task_is_found_only_on_the_route_that_created_it()
    {
        await using var e = await Emulated.StartAsync();
        var task = await e.Client.SubmitAsync(UrlRequest());
        var x = await Assert.ThrowsAsync<KlingApiException>(() => e.Client.GetTaskAsync(KlingRoute.MultiImageToVideo, task.TaskId));
        Assert.Equal(KlingErrorKind.NotFound, x.Kind);
    }

    [Fact]
    public async Task A_task_is_found_by_its_external_id_and_listed()
    {
        await using var e = await Emulated.StartAsync();
        var task = await e.Client.SubmitAsync(UrlRequest("nightly-cat-001"));
        await e.Client.SubmitAsync(UrlRequest());

        var found = await e.Client.FindByExternalIdAsync(KlingRoute.ImageToVideo, "nightly-cat-001");
        var missing = await e.Client.FindByExternalIdAsync(KlingRoute.ImageToVideo, "never-submitted");
        var page = (await e.Client.ListTasksAsync(KlingRoute.ImageToVideo, 1, 10)).Tasks;

        Assert.Equal(task.TaskId, found!.TaskId);
        Assert.Null(missing);
        Assert.Equal(2, page.Count);
        Assert.Contains(page, t => t.TaskId == task.TaskId && t.ExternalTaskId == "nightly-cat-001");
    }

    [Fact]
    public async Task Paging_out_of_range_is_refused_before_sending()
    {
        await using var e = await Emulated.StartAsync();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => e.Client.ListTasksAsync(KlingRoute.ImageToVideo, 1, 501));
        Assert.Empty(e.Emulator.Log.Entries);
    }

    [Theory]
    [InlineData("\"task_result\":{},")]
    [InlineData("\"task_result\":null,")]
    [InlineData("")]
    public void A_running_task_parses_whatever_task_result_looks_like(string result)
    {
        var json = "{\"code\":0,\"message\":\"SUCCEED\",\"request_id\":\"r-1\",\"data\":{\"task_id\":\"878106242831892487\"," + result +
                   "\"task_info\":{},\"created_at\":1777385361501,\"updated_at\":1777385363321,\"task_status\":\"processing\",\"unknown\":[1,2]}}";
        var envelope = JsonSerializer.Deserialize(json, KlingJson.Context.EnvelopeJsonElement)!;
        var task = TaskMapper.ToTask(envelope.Data, KlingRoute.ImageToVideo, envelope.RequestId);

        Assert.Equal(KlingTaskStatus.Processing, task.Status);
        Assert.Empty(task.Videos);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1777385361501), task.CreatedAt);
        Assert.Equal("r-1", task.RequestId);
    }

    [Theory]
    [InlineData("\"5\"", 5.0)]
    [InlineData("\"5.0\"", 5.0)]
    [InlineData("10", 10.0)]
    public void Video_durations_parse_as_text_or_number(string duration, double seconds)
    {
        var json = "{\"code\":0,\"message\":\"success\",\"data\":{\"task_id\":861309198188019719,\"task_status\":\"succeed\"," +
                   "\"task_result\":{\"videos\":[{\"id\":\"v1\",\"url\":\"https://cdn.example/v1.mp4\",\"duration\":" + duration + "}]}}}";
        var envelope = JsonSerializer.Deserialize(json, KlingJson.Context.EnvelopeJsonElement)!;
        var task = TaskMapper.ToTask(envelope.Data, KlingRoute.MultiImageToVideo, null);

        Assert.Equal("861309198188019719", task.TaskId);
        Assert.Equal(KlingTaskStatus.Succeeded, task.Status);
        Assert.Equal(TimeSpan.FromSeconds(seconds), task.Videos[0].Duration);
    }

    [Fact]
    public async Task A_failed_task_carries_the_services_reason_although_the_answer_says_SUCCEED()
    {
        await using var e = await Emulated.StartAsync(o => o.TaskFailureRate = 1);
        var task = await e.UntilFinalAsync(await e.Client.SubmitAsync(UrlRequest()));

        Assert.Equal(KlingTaskStatus.Failed, task.Status);
        Assert.False(string.IsNullOrEmpty(task.StatusMessage));
        Assert.Empty(task.Videos);
    }

    [Fact]
    public async Task Many_tasks_parse_across_every_shape_the_emulator_varies()
    {
        await using var e = await Emulated.StartAsync(o => o.Concurrency = 20);
        var tasks = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => e.Client.SubmitAsync(UrlRequest())));
        await Task.Delay(100);
        var queried = await Task.WhenAll(tasks.Select(t => e.Client.GetTaskAsync(t.Route, t.TaskId)));
        Assert.All(queried, t => Assert.True(t.Status is KlingTaskStatus.Submitted or KlingTaskStatus.Processing or KlingTaskStatus.Succeeded));
        Assert.Equal(12, queried.Select(t => t.TaskId).Distinct().Count());
    }
}
