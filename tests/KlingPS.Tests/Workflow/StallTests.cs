using System.Diagnostics;
using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Workflow;

/// <summary>
/// A server that sends the status, the headers and part of a body, then nothing, with the connection open (the
/// emulator's StallAfterHeaders). The idle timeout (RequestTimeout) ends the read and the request is retried, and a
/// cancellation ends it at once: the client closes the response, because .NET Framework ignores the token of a
/// pending read (the same runs under Mono in tests/KlingPS.FrameworkCheck).
/// </summary>
public class StallTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(500);
    // The shortest a wait for the idle timeout can measure: timers count whole milliseconds, the stopwatch does not.
    private static readonly TimeSpan IdleAtLeast = Idle - TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(2);

    private static async Task<KlingTask> FinishedTask(Emulated e)
    {
        var task = await e.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromFile(e.Png("still.png"))));
        var watch = Stopwatch.StartNew();
        while (!task.IsFinal && watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
            task = await e.Client.GetTaskAsync(task.Route, task.TaskId);
        }
        Assert.Equal(KlingTaskStatus.Succeeded, task.Status);
        return task;
    }

    /// <summary>Waits (at most 10 s) until the emulator has started answering a request of that path, then lets its headers arrive.</summary>
    private static async Task StalledOn(Emulated e, string pathPrefix, int count = 1)
    {
        var watch = Stopwatch.StartNew();
        while (e.Emulator.Log.Entries.Count(l => l.Path.StartsWith(pathPrefix, StringComparison.Ordinal) && l.Fault == "StallAfterHeaders") < count)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "the stalled request never reached the emulator");
            await Task.Delay(10);
        }
        await Task.Delay(200);
    }

    /// <summary>The time on <paramref name="watch"/> when <paramref name="work"/> ended; a failure, not a hang, when it has not ended within 10 s.</summary>
    private static async Task<TimeSpan> TimeToEnd(Task work, Stopwatch watch)
    {
        var ended = await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.True(ended == work, "still running 10 s later");
        return watch.Elapsed;
    }

    [Fact]
    public async Task A_stalled_download_ends_after_the_idle_timeout_and_is_resumed_whole()
    {
        await using var e = await Emulated.StartAsync(o => o.VideoPaddingBytes = 300_000, c => c.RequestTimeout = Idle);
        var task = await FinishedTask(e);
        e.Emulator.Options.Faults.Add(FaultRule.StallAfterHeaders().ForTarget(FaultTarget.Download).OnFirst(1));
        var messages = new List<string>();

        var watch = Stopwatch.StartNew();
        var download = new VideoDownloader(e.Client).DownloadAsync(task.Videos[0], Path.Combine(e.Folder, "still.mp4"), false, null,
            new KlingCallOptions { Verbose = messages.Add });

        Assert.InRange(await TimeToEnd(download, watch), IdleAtLeast, Idle + Prompt);
        var file = await download;
        Assert.Equal(e.Emulator.ExpectedVideoBytes(task.Videos[0].Id), File.ReadAllBytes(file.FullName));
        Assert.Equal(2, e.Emulator.Log.Count("GET", "/files/"));
        Assert.Contains(messages, m => m.Contains("retry 1") && m.Contains("no answer within"));
    }

    [Fact]
    public async Task Cancelling_a_stalled_download_returns_at_once_and_leaves_no_partial_file()
    {
        await using var e = await Emulated.StartAsync(o => o.VideoPaddingBytes = 300_000, c => c.RequestTimeout = TimeSpan.FromMinutes(5));
        var task = await FinishedTask(e);
        e.Emulator.Options.Faults.Add(FaultRule.StallAfterHeaders().ForTarget(FaultTarget.Download));
        using var cancel = new CancellationTokenSource();

        var download = new VideoDownloader(e.Client).DownloadAsync(task.Videos[0], Path.Combine(e.Folder, "still.mp4"), false, null, null, cancel.Token);
        await StalledOn(e, "/files/");
        Assert.False(download.IsCompleted);
        var watch = Stopwatch.StartNew();
        cancel.Cancel();

        Assert.InRange(await TimeToEnd(download, watch), TimeSpan.Zero, Prompt);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => download);
        Assert.Empty(Directory.GetFiles(e.Folder, "*.mp4*"));
    }

    [Fact]
    public async Task A_stalled_API_answer_ends_after_the_request_timeout_and_is_retried()
    {
        await using var e = await Emulated.StartAsync(client: c => c.RequestTimeout = Idle);
        var task = await e.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromFile(e.Png("still.png"))));
        e.Emulator.Options.Faults.Add(FaultRule.StallAfterHeaders().ForTarget(FaultTarget.Query).OnFirst(1));

        var watch = Stopwatch.StartNew();
        var query = e.Client.GetTaskAsync(task.Route, task.TaskId);

        Assert.InRange(await TimeToEnd(query, watch), IdleAtLeast, Idle + Prompt);
        Assert.Equal(task.TaskId, (await query).TaskId);
        Assert.Equal(2, e.Emulator.Log.Count("GET", "/kling/v1/videos/image2video/"));
    }

    [Fact]
    public async Task The_wait_timeout_ends_polls_in_flight_whatever_the_request_timeout()
    {
        await using var e = await Emulated.StartAsync(o => o.GenerationTime = TimeSpan.FromMinutes(2), c => c.RequestTimeout = TimeSpan.FromMinutes(5));
        var task = await e.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromFile(e.Png("still.png"))));
        e.Emulator.Options.Faults.Add(FaultRule.StallAfterHeaders().ForTarget(FaultTarget.Query));
        e.Emulator.Options.Faults.Add(FaultRule.StallAfterHeaders().ForTarget(FaultTarget.List));
        var options = Emulated.FastWait();
        options.Timeout = Idle;
        options.FinalPollLimit = Idle; // the last look, at the timeout, stalls too
        var waiter = new TaskWaiter(e.Client, options);
        var timedOut = new List<KlingTask>();
        waiter.TimedOut += timedOut.Add;
        waiter.Add(task);
        waiter.Complete();

        var watch = Stopwatch.StartNew();
        var waiting = waiter.RunAsync(CancellationToken.None);

        Assert.InRange(await TimeToEnd(waiting, watch), IdleAtLeast + Idle, Idle + Idle + Prompt);
        await waiting;
        Assert.Equal(task.TaskId, Assert.Single(timedOut).TaskId);
        Assert.Contains(e.Emulator.Log.Entries, l => l.Fault == "StallAfterHeaders");
    }

    [Fact]
    public async Task Cancelling_while_an_API_answer_stalls_returns_at_once()
    {
        await using var e = await Emulated.StartAsync(client: c => c.RequestTimeout = TimeSpan.FromMinutes(5));
        var task = await e.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromFile(e.Png("still.png"))));
        e.Emulator.Options.Faults.Add(FaultRule.StallAfterHeaders().ForTarget(FaultTarget.Query));
        using var cancel = new CancellationTokenSource();

        var query = e.Client.GetTaskAsync(task.Route, task.TaskId, null, cancel.Token);
        await StalledOn(e, "/kling/v1/videos/image2video/");
        Assert.False(query.IsCompleted);
        var watch = Stopwatch.StartNew();
        cancel.Cancel();

        Assert.InRange(await TimeToEnd(query, watch), TimeSpan.Zero, Prompt);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => query);
    }
}
