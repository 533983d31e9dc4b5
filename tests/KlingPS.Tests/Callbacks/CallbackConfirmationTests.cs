using System.Text.Json;
using KlingPS.Core.Callbacks;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Callbacks;

/// <summary>
/// The posted task confirmed with the service (the emulator): the route found by asking, an unknown task refused, an answer
/// about another task refused, and the service's status and URLs used whatever was posted.
/// </summary>
public class CallbackConfirmationTests
{
    private static string Body(string taskId, string status = "succeed", string? videoUrl = null) => JsonSerializer.Serialize(new
    {
        task_id = taskId,
        task_status = status,
        task_result = videoUrl == null ? null : new { videos = new[] { new { id = "v", url = videoUrl, duration = "5" } } },
    });

    private static async Task<KlingTask> ReadAsync(Emulated e, string body, KlingRoute? route = null, List<string>? verbose = null)
    {
        var lines = verbose ?? [];
        var call = new KlingCallOptions { Verbose = line => { lock (lines) lines.Add(line); } };
        return await new CallbackReader(e.Client, null, route, call).ReadAsync(CallbackRequest.Of(body, null), CancellationToken.None);
    }

    private static List<(string Path, int Status)> Queries(Emulated e) =>
        e.Emulator.Log.Entries.Where(x => x.Method == "GET").Select(x => (x.Path, x.Status)).ToList();

    private static async Task<KlingTask> FinishedImageTaskAsync(Emulated e, string? externalId = null) =>
        await e.UntilFinalAsync(await e.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromFile(e.Png("cat.png"))) { ExternalTaskId = externalId }));

    [Fact]
    public async Task Without_a_route_a_multi_image_task_is_found_on_its_own_route_after_one_refusal()
    {
        await using var e = await Emulated.StartAsync();
        var images = new[] { e.Png("a.png", 400, 400), e.Png("b.png", 500, 400) };
        var task = await e.UntilFinalAsync(await e.Client.SubmitAsync(new MultiImageVideoRequest(images.Select(KlingImage.FromFile)) { Prompt = "pan" }));
        e.Emulator.Log.Clear();

        var confirmed = await ReadAsync(e, Body(task.TaskId));

        Assert.Equal((task.TaskId, KlingRoute.MultiImageToVideo, KlingTaskStatus.Succeeded), (confirmed.TaskId, confirmed.Route, confirmed.Status));
        Assert.Equal(task.Videos.Select(v => v.Url), confirmed.Videos.Select(v => v.Url));
        Assert.NotNull(confirmed.RequestId);
        Assert.Equal([($"/kling/v1/videos/image2video/{task.TaskId}", 404), ($"/kling/v1/videos/multi-image2video/{task.TaskId}", 200)], Queries(e));
    }

    [Fact]
    public async Task A_task_the_service_does_not_know_is_not_found_on_either_route()
    {
        await using var e = await Emulated.StartAsync();

        var error = await Assert.ThrowsAsync<KlingApiException>(() => ReadAsync(e, Body("4242424242424242")));

        Assert.Equal((KlingErrorKind.NotFound, "4242424242424242", 1203), (error.Kind, error.Target, error.KlingCode));
        Assert.Equal("The service knows no task 4242424242424242 (asked on image2video and multi-image2video): the callback may be forged, or come from another account.", error.Message);
        Assert.Equal([("/kling/v1/videos/image2video/4242424242424242", 404), ("/kling/v1/videos/multi-image2video/4242424242424242", 404)], Queries(e));
    }

    [Fact]
    public async Task With_a_route_only_that_route_is_asked()
    {
        await using var e = await Emulated.StartAsync();
        var task = await FinishedImageTaskAsync(e);
        e.Emulator.Log.Clear();

        Assert.Equal(KlingTaskStatus.Succeeded, (await ReadAsync(e, Body(task.TaskId), KlingRoute.ImageToVideo)).Status);
        var error = await Assert.ThrowsAsync<KlingApiException>(() => ReadAsync(e, Body(task.TaskId), KlingRoute.MultiImageToVideo));

        Assert.Equal(KlingErrorKind.NotFound, error.Kind);
        Assert.Contains("(asked on multi-image2video)", error.Message);
        Assert.Equal([($"/kling/v1/videos/image2video/{task.TaskId}", 200), ($"/kling/v1/videos/multi-image2video/{task.TaskId}", 404)], Queries(e));
    }

    [Fact]
    public async Task An_external_id_posted_as_the_task_id_confirms_nothing_although_the_service_answers_for_it()
    {
        await using var e = await Emulated.StartAsync();
        await FinishedImageTaskAsync(e, "cat-ext-1");
        e.Emulator.Log.Clear();

        var error = await Assert.ThrowsAsync<KlingApiException>(() => ReadAsync(e, Body("cat-ext-1")));

        Assert.Equal(KlingErrorKind.NotFound, error.Kind);
        // The service answered with its task for that external id: a task, but not the one posted.
        Assert.Equal([("/kling/v1/videos/image2video/cat-ext-1", 200), ("/kling/v1/videos/multi-image2video/cat-ext-1", 404)], Queries(e));
    }

    [Fact]
    public async Task The_services_video_URLs_are_used_never_the_posted_ones()
    {
        await using var e = await Emulated.StartAsync();
        var task = await FinishedImageTaskAsync(e);
        var verbose = new List<string>();

        var confirmed = await ReadAsync(e, Body(task.TaskId, videoUrl: "https://attacker.example/other.mp4"), verbose: verbose);

        Assert.Equal(task.Videos.Select(v => v.Url), confirmed.Videos.Select(v => v.Url));
        Assert.DoesNotContain(confirmed.Videos, v => v.Url.Host == "attacker.example");
        Assert.Contains(verbose, line => line.Contains($"The service confirms task {task.TaskId} on image2video: Succeeded; its answer is used (other video URLs posted)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_task_posted_as_succeeded_while_the_service_says_it_runs_is_written_as_running()
    {
        await using var e = await Emulated.StartAsync(o => o.GenerationTime = TimeSpan.FromMinutes(5));
        var task = await e.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromFile(e.Png("cat.png"))));

        var confirmed = await ReadAsync(e, Body(task.TaskId, videoUrl: "https://attacker.example/other.mp4"));

        Assert.False(confirmed.IsFinal);
        Assert.Empty(confirmed.Videos);
    }
}
