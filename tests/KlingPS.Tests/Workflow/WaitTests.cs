using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit.Abstractions;
using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Workflow;

public class WaitTests(ITestOutputHelper output)
{
    private static ImageVideoRequest UrlRequest() => new(KlingImage.FromUrl(new Uri("https://example.com/cat.jpg")));

    private static async Task<List<KlingTask>> WaitAll(Emulated e, IEnumerable<KlingTask> tasks, WaitOptions options)
    {
        var waiter = new TaskWaiter(e.Client, options);
        var finished = new List<KlingTask>();
        waiter.Finished += t => { lock (finished) finished.Add(t); };
        foreach (var t in tasks) waiter.Add(t);
        waiter.Complete();
        await waiter.RunAsync(CancellationToken.None);
        return finished;
    }

    [Fact]
    public async Task Many_tasks_are_waited_for_together_with_one_list_request_per_round()
    {
        await using var e = await Emulated.StartAsync(o => o.Concurrency = 20);
        var tasks = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => e.Client.SubmitAsync(UrlRequest())));
        e.Emulator.Log.Clear();

        var finished = await WaitAll(e, tasks, Emulated.FastWait());

        Assert.Equal(10, finished.Count);
        Assert.All(finished, t => Assert.Equal(KlingTaskStatus.Succeeded, t.Status));
        var queries = e.Emulator.Log.Entries.Count(l => l.Method == "GET");
        Assert.True(queries < 10, $"10 tasks took {queries} queries; the list endpoint should need fewer than one per task");
    }

    [Fact]
    public async Task Without_a_list_endpoint_tasks_are_polled_one_by_one()
    {
        await using var e = await Emulated.StartAsync(o => { o.Concurrency = 20; o.ListEndpointSupported = false; });
        var tasks = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => e.Client.SubmitAsync(UrlRequest())));

        var finished = await WaitAll(e, tasks, Emulated.FastWait());

        Assert.Equal(4, finished.Count);
        Assert.Contains(e.Emulator.Log.Entries, l => l.Path.EndsWith(tasks[0].TaskId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tasks_still_running_at_the_timeout_are_reported()
    {
        await using var e = await Emulated.StartAsync(o => o.GenerationTime = TimeSpan.FromSeconds(30));
        var task = await e.Client.SubmitAsync(UrlRequest());
        var options = Emulated.FastWait();
        options.Timeout = TimeSpan.FromMilliseconds(400);
        var waiter = new TaskWaiter(e.Client, options);
        var timedOut = new List<KlingTask>();
        waiter.TimedOut += timedOut.Add;
        waiter.Add(task);
        waiter.Complete();

        await waiter.RunAsync(CancellationToken.None);

        Assert.Equal(task.TaskId, Assert.Single(timedOut).TaskId);
    }

    [Fact]
    public async Task A_task_of_about_a_second_is_seen_finished_within_a_few_seconds_with_the_default_plan()
    {
        await using var e = await Emulated.StartAsync(o => { o.SubmittedTime = TimeSpan.FromMilliseconds(200); o.GenerationTime = TimeSpan.FromSeconds(1); });
        var watch = Stopwatch.StartNew();
        var task = await e.Client.SubmitAsync(UrlRequest());

        var finished = await WaitAll(e, [task], new WaitOptions()).WaitAsync(Emulated.WaitLimit);

        Assert.Equal(KlingTaskStatus.Succeeded, Assert.Single(finished).Status);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"seen after {watch.Elapsed}");
        Assert.InRange(e.Emulator.Log.Entries.Count(l => l.Method == "GET"), 1, 4);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Once_one_task_has_succeeded_the_others_cost_few_requests(bool list)
    {
        // 40 s tasks on a scale of 1:25, twenty of them, four at a time: the oldest probes for the first wave (about 14 requests
        // whatever the batch), the rest are polled near their end. Twenty, not twelve: with twelve the probe alone was most of
        // the budget of 1.5 lists per image (12 to 17 of 18 here), and a busy machine's late timers decided the outcome.
        const double scale = 0.04;
        const int Tasks = 20;
        await using var e = await Emulated.StartAsync(o =>
        {
            o.Concurrency = 4;
            o.ListEndpointSupported = list;
            o.SubmittedTime = TimeSpan.FromSeconds(1 * scale);
            o.GenerationTime = TimeSpan.FromSeconds(39 * scale);
        }, client: c =>
        {
            // The client's own defaults, scaled like the rest: its slot gate holds the last eight submissions and asks about
            // running tasks itself when nobody else does, so its pacing counts here too.
            var defaults = new KlingClientOptions(c.ApiKey);
            c.RetryInterval = defaults.RetryInterval * scale;
            c.MaximumRetryDelay = defaults.MaximumRetryDelay * scale;
            c.ProbeInterval = defaults.ProbeInterval * scale;
            c.MaximumProbeDelay = defaults.MaximumProbeDelay * scale;
        });
        var options = new WaitOptions { MinimumPollInterval = TimeSpan.FromSeconds(1 * scale), MaximumPollInterval = TimeSpan.FromSeconds(60 * scale) };
        var waiter = new TaskWaiter(e.Client, options);
        var finished = 0;
        waiter.Finished += _ => Interlocked.Increment(ref finished);
        var running = waiter.RunAsync(CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, Tasks).Select(async _ => waiter.Add(await e.Client.SubmitAsync(UrlRequest()))));
        waiter.Complete();
        await running.WaitAsync(Emulated.WaitLimit);

        Assert.Equal(Tasks, finished);
        var log = e.Emulator.Log.Entries;
        var polls = list ? log.Count(l => l.Method == "GET" && l.Path == "/kling/v1/videos/image2video")
            : log.Count(l => l.Method == "GET" && l.Path.StartsWith("/kling/v1/videos/image2video/", StringComparison.Ordinal));
        output.WriteLine($"{polls} {(list ? "lists" : "queries")} for {Tasks} tasks");
        Assert.True(polls <= (list ? 1.5 : 3) * Tasks, $"{polls} {(list ? "lists" : "queries")} for {Tasks} tasks");
    }

    [Fact]
    public async Task At_the_timeout_one_last_look_reports_each_task_as_it_is_then()
    {
        await using var e = await Emulated.StartAsync(o => o.Concurrency = 10);
        var quick = await e.Client.SubmitAsync(UrlRequest()); // done in 0.25 s, but not polled before the timeout
        e.Emulator.Options.GenerationTime = TimeSpan.FromMinutes(2);
        var slow = await e.Client.SubmitAsync(UrlRequest());
        var options = new WaitOptions { FixedPollInterval = TimeSpan.FromMinutes(1), Timeout = TimeSpan.FromSeconds(1) };
        var waiter = new TaskWaiter(e.Client, options);
        var finished = new List<KlingTask>();
        var timedOut = new List<KlingTask>();
        waiter.Finished += finished.Add;
        waiter.TimedOut += timedOut.Add;
        waiter.Add(quick);
        waiter.Add(slow);
        waiter.Complete();

        await waiter.RunAsync(CancellationToken.None).WaitAsync(Emulated.WaitLimit);

        Assert.Equal((quick.TaskId, KlingTaskStatus.Succeeded), (Assert.Single(finished).TaskId, finished[0].Status));
        Assert.Equal((slow.TaskId, KlingTaskStatus.Processing), (Assert.Single(timedOut).TaskId, timedOut[0].Status));
        Assert.Equal(KlingTaskStatus.Submitted, slow.Status); // what the waiter was given: the last look is what changed it
    }

    [Fact]
    public async Task Submissions_over_the_concurrency_limit_wait_for_a_slot_instead_of_failing()
    {
        await using var e = await Emulated.StartAsync(o => o.Concurrency = 2);
        var waiter = new TaskWaiter(e.Client, Emulated.FastWait());
        var running = waiter.RunAsync(CancellationToken.None);

        var tasks = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            var t = await e.Client.SubmitAsync(UrlRequest());
            waiter.Add(t);
            return t;
        }));
        waiter.Complete();
        await running;

        Assert.Equal(5, e.Emulator.TasksCreated);
        Assert.Contains(e.Emulator.Log.Entries, l => l.Status == 429);
        Assert.Equal(5, tasks.Select(t => t.TaskId).Distinct().Count());
    }

    [Theory]
    [InlineData(1000, null, 100)]
    [InlineData(5000, 30000, 100)]
    [InlineData(1000, null, 0)] // Complete() right after Add(), as Wait-KlingTask does for a single piped task
    public async Task A_task_that_is_already_final_is_reported_without_a_query(int minimumPollMs, int? fixedPollMs, int completeAfterMs)
    {
        await using var e = await Emulated.StartAsync();
        var final = new KlingTask("42", KlingRoute.MultiImageToVideo, KlingTaskStatus.Succeeded, null, null, DateTimeOffset.UtcNow, null, Array.Empty<KlingVideo>(), null, null);
        var waiter = new TaskWaiter(e.Client, new WaitOptions
        {
            MinimumPollInterval = TimeSpan.FromMilliseconds(minimumPollMs),
            FixedPollInterval = fixedPollMs.HasValue ? TimeSpan.FromMilliseconds(fixedPollMs.Value) : null,
        });
        var finished = new List<KlingTask>();
        waiter.Finished += finished.Add;
        var running = waiter.RunAsync(CancellationToken.None);
        waiter.Add(final);
        if (completeAfterMs > 0) await Task.Delay(completeAfterMs);
        waiter.Complete();

        var ended = await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.Same(running, ended);
        Assert.Equal("42", Assert.Single(finished).TaskId);
        Assert.Empty(e.Emulator.Log.Entries);
    }

    [Fact]
    public async Task List_answers_polled_for_other_tasks_do_not_put_off_a_task_s_own_polls()
    {
        // The waiter learns 1 s tasks; then one task takes 5 s while short ones, created every 0.2 s, each have a list
        // polled at their end. Those lists show the long task running 15 times: were they its own polls, its gaps would
        // grow to the 30 s maximum and its end be seen that late (here, at the 15 s timeout).
        await using var e = await Emulated.StartAsync(o =>
        {
            o.Concurrency = 30;
            o.SubmittedTime = TimeSpan.FromMilliseconds(100);
            o.GenerationTime = TimeSpan.FromSeconds(0.9);
        });
        var waiter = new TaskWaiter(e.Client, new WaitOptions
        {
            MinimumPollInterval = TimeSpan.FromMilliseconds(100),
            MaximumPollInterval = TimeSpan.FromSeconds(30),
            Timeout = TimeSpan.FromSeconds(15),
        });
        var seen = new ConcurrentDictionary<string, DateTimeOffset>();
        waiter.Finished += t => seen[t.TaskId] = DateTimeOffset.UtcNow;
        var running = waiter.RunAsync(CancellationToken.None);
        waiter.Add(await e.Client.SubmitAsync(UrlRequest()));
        var clock = Stopwatch.StartNew();
        while (seen.IsEmpty && clock.Elapsed < Emulated.WaitLimit) await Task.Delay(20);

        e.Emulator.Options.GenerationTime = TimeSpan.FromSeconds(4.9);
        var slow = await e.Client.SubmitAsync(UrlRequest());
        waiter.Add(slow);
        e.Emulator.Options.GenerationTime = TimeSpan.FromSeconds(0.9);
        for (var i = 0; i < 15; i++)
        {
            waiter.Add(await e.Client.SubmitAsync(UrlRequest()));
            await Task.Delay(200);
        }
        waiter.Complete();
        await running.WaitAsync(Emulated.WaitLimit);

        var ended = (await e.Client.GetTaskAsync(slow.Route, slow.TaskId)).UpdatedAt!.Value;
        var late = seen[slow.TaskId] - ended;
        output.WriteLine($"the 5 s task was seen {late.TotalSeconds:0.00} s after it ended");
        Assert.True(late < TimeSpan.FromSeconds(4), $"the 5 s task was seen {late.TotalSeconds:0.00} s after it ended");
    }
}
