using System.Net;
using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Reliability;

/// <summary>
/// Issue 5: errors that trying again cannot fix end at once, after exactly one request, with the service's own words.
/// Client/ErrorTests.cs covers submissions; these cover queries, the list, downloads and waiting.
/// </summary>
[Collection(BatchBench.Collection)]
public class NonRetryableErrorTests
{
    private static ImageVideoRequest UrlRequest() => new(KlingImage.FromUrl(new Uri("https://example.com/cat.jpg")));

    private static int Requests(Emulated e, string pathPrefix) => e.Emulator.Log.Entries.Count(l => l.Path.StartsWith(pathPrefix, StringComparison.Ordinal));

    private static async Task<KlingTask> FinishedTask(Emulated e)
    {
        return await e.UntilFinalAsync(await e.Client.SubmitAsync(UrlRequest()));
    }

    [Theory]
    [InlineData(401, 1000, KlingErrorKind.Authentication, "Authentication failed")]
    [InlineData(401, 1004, KlingErrorKind.Authentication, "Authorization has expired")]
    [InlineData(429, 1100, KlingErrorKind.Account, "Account exception")]
    [InlineData(429, 1101, KlingErrorKind.Account, "Account in arrears")]
    [InlineData(429, 1102, KlingErrorKind.Account, "Resource pack depleted")]
    [InlineData(403, 1103, KlingErrorKind.Permission, "Unauthorized access")]
    [InlineData(400, 1201, KlingErrorKind.InvalidRequest, "Invalid parameters")]
    [InlineData(404, 1202, KlingErrorKind.NotFound, "method is invalid")]
    public async Task A_query_answered_with_a_non_retryable_Kling_code_fails_after_one_request_with_the_services_message(
        int status, int code, KlingErrorKind kind, string words)
    {
        await using var e = await Emulated.StartAsync();
        var task = await e.Client.SubmitAsync(UrlRequest());
        e.Emulator.Options.Faults.Add(FaultRule.Status(status, code).ForTarget(FaultTarget.Query));
        e.Emulator.Log.Clear();

        var x = await Assert.ThrowsAsync<KlingApiException>(() => e.Client.GetTaskAsync(task.Route, task.TaskId));

        Assert.Equal(kind, x.Kind);
        Assert.Equal(code, x.KlingCode);
        Assert.Equal((HttpStatusCode)status, x.StatusCode);
        Assert.False(x.IsRetryable);
        Assert.Contains(words, x.ServiceMessage);
        Assert.Contains(words, x.Message);
        Assert.NotNull(x.RequestId);
        Assert.Equal(1, Requests(e, "/kling/"));
    }

    [Fact]
    public async Task A_task_the_service_does_not_know_is_not_found_after_one_query()
    {
        await using var e = await Emulated.StartAsync();

        var x = await Assert.ThrowsAsync<KlingApiException>(() => e.Client.GetTaskAsync(KlingRoute.ImageToVideo, "1234567890123456789"));

        Assert.Equal(KlingErrorKind.NotFound, x.Kind);
        Assert.Equal(1203, x.KlingCode);
        Assert.Contains("task not found", x.Message);
        Assert.Equal(1, Requests(e, "/kling/"));
    }

    [Fact]
    public async Task A_wrong_key_fails_a_query_and_the_list_after_one_request_each()
    {
        await using var e = await Emulated.StartAsync();
        using var client = new KlingClient(new KlingClientOptions(new KlingApiKey("sk-wrong-key-5555")) { BaseUri = e.Emulator.BaseUri });

        var query = await Assert.ThrowsAsync<KlingApiException>(() => client.GetTaskAsync(KlingRoute.ImageToVideo, "1"));
        var list = await Assert.ThrowsAsync<KlingApiException>(() => client.ListTasksAsync(KlingRoute.MultiImageToVideo));

        Assert.All(new[] { query, list }, x =>
        {
            Assert.Equal(KlingErrorKind.Authentication, x.Kind);
            Assert.Contains("Invalid token", x.Message);
            Assert.False(x.IsRetryable);
        });
        Assert.Equal(2, Requests(e, "/kling/"));
    }

    [Theory]
    [InlineData(429, 1102, KlingErrorKind.Account, "Resource pack depleted")]
    [InlineData(429, 1101, KlingErrorKind.Account, "Account in arrears")]
    [InlineData(403, 1103, KlingErrorKind.Permission, "Unauthorized access")]
    [InlineData(401, 1002, KlingErrorKind.Authentication, "Authorization is invalid")]
    [InlineData(404, 1203, KlingErrorKind.NotFound, "does not exist")]
    public async Task A_download_answered_with_a_non_retryable_Kling_code_fails_after_one_request_with_the_services_message(
        int status, int code, KlingErrorKind kind, string words)
    {
        await using var e = await Emulated.StartAsync();
        var task = await FinishedTask(e);
        e.Emulator.Options.Faults.Add(FaultRule.Status(status, code).ForTarget(FaultTarget.Download));
        var target = Path.Combine(e.Folder, "clip.mp4");

        var x = await Assert.ThrowsAsync<KlingApiException>(() => new VideoDownloader(e.Client).DownloadAsync(task.Videos[0], target, force: false));

        Assert.Equal(kind, x.Kind);
        Assert.Equal(code, x.KlingCode);
        Assert.False(x.IsRetryable);
        Assert.Contains(words, x.Message);
        Assert.Equal(1, Requests(e, "/files/"));
        Assert.Empty(Directory.GetFiles(e.Folder)); // neither the video nor a temporary file
    }

    [Theory]
    [InlineData(404)]
    [InlineData(403)]
    [InlineData(410)]
    public async Task A_download_refused_by_the_file_server_fails_after_one_request_with_its_status(int status)
    {
        await using var e = await Emulated.StartAsync();
        var task = await FinishedTask(e);
        e.Emulator.Options.Faults.Add(FaultRule.Status(status).ForTarget(FaultTarget.Download));

        var x = await Assert.ThrowsAsync<KlingApiException>(() =>
            new VideoDownloader(e.Client).DownloadAsync(task.Videos[0], Path.Combine(e.Folder, "clip.mp4"), force: false));

        Assert.False(x.IsRetryable);
        Assert.Equal((HttpStatusCode)status, x.StatusCode);
        Assert.Contains("HTTP " + status, x.Message);
        Assert.Equal(1, Requests(e, "/files/"));
        Assert.Empty(Directory.GetFiles(e.Folder));
    }

    [Fact]
    public async Task A_video_of_an_unfinished_task_is_not_found_after_one_request()
    {
        await using var e = await Emulated.StartAsync(o => o.GenerationTime = TimeSpan.FromSeconds(30));
        var task = await e.Client.SubmitAsync(UrlRequest());
        var video = new KlingVideo(e.Emulator.Tasks.Single().VideoId, new Uri($"http://localhost:{e.Emulator.BaseUri.Port}/files/{e.Emulator.Tasks.Single().VideoId}.mp4"), TimeSpan.FromSeconds(5), task.TaskId);

        var x = await Assert.ThrowsAsync<KlingApiException>(() => new VideoDownloader(e.Client).DownloadAsync(video, Path.Combine(e.Folder, "early.mp4"), force: false));

        Assert.Equal(KlingErrorKind.NotFound, x.Kind);
        Assert.Contains("HTTP 404", x.Message);
        Assert.Equal(1, Requests(e, "/files/"));
    }

    [Theory]
    [InlineData(404, 1203, KlingErrorKind.NotFound)]
    [InlineData(401, 1004, KlingErrorKind.Authentication)]
    [InlineData(429, 1102, KlingErrorKind.Account)]
    public async Task Waiting_ends_for_a_task_whose_query_fails_for_good_with_the_error_after_one_query(int status, int code, KlingErrorKind kind)
    {
        await using var e = await Emulated.StartAsync(o => o.ListEndpointSupported = false);
        var task = await e.Client.SubmitAsync(UrlRequest());
        e.Emulator.Options.Faults.Add(FaultRule.Status(status, code).ForTarget(FaultTarget.Query));
        e.Emulator.Log.Clear();
        var options = Emulated.FastWait();
        options.Timeout = TimeSpan.FromSeconds(20); // a bound for the test only: the wait must end long before
        var waiter = new TaskWaiter(e.Client, options);
        var failures = new List<(KlingTask Task, KlingApiException Error)>();
        waiter.QueryFailed += (t, x) => failures.Add((t, x));
        waiter.Add(task);
        waiter.Complete();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await waiter.RunAsync(CancellationToken.None);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the wait took {clock.Elapsed}");
        var (failedTask, error) = Assert.Single(failures);
        Assert.Equal(task.TaskId, failedTask.TaskId);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(code, error.KlingCode);
        Assert.Equal(1, Requests(e, "/kling/v1/videos/image2video/")); // the list, unsupported here, is tried first
        Assert.Equal(1, waiter.Progress.Failed);
    }
}
