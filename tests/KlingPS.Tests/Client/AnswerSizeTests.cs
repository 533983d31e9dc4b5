using System.Diagnostics;
using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Client;

/// <summary>
/// API answers that never end, or that inflate far past anything the API sends (the emulator's EndlessBody and
/// OversizedAnswer, plain and gzip): the client stops reading at its cap (counted on decompressed bytes), in bounded
/// memory and time, with an error that says so; a create whose answer was cut off is looked up by its external id.
/// Not run in parallel with other tests: the memory bound is read from the process's allocation count.
/// </summary>
[Collection(Collection)]
public class AnswerSizeTests
{
    public const string Collection = "Answer size (allocations measured)";

    /// <summary>Reading a 256 MiB answer whole would allocate over 512 MiB (a growing buffer); the cap allows 16 MiB.</summary>
    private const long AllocationBound = 96L << 20;

    private static readonly TimeSpan TimeBound = TimeSpan.FromSeconds(20);

    private static ImageVideoRequest UrlRequest(string externalId) =>
        new(KlingImage.FromUrl(new Uri("https://example.com/cat.jpg"))) { ExternalTaskId = externalId };

    /// <summary>Runs <paramref name="call"/> once (no retries), and gives back its error, its time and what the process allocated meanwhile.</summary>
    private static async Task<(KlingApiException Error, TimeSpan Took, long Allocated)> Measure(Func<KlingCallOptions, Task> call)
    {
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<KlingApiException>(() => call(new KlingCallOptions { MaximumRetryCount = 0 }).WaitAsync(TimeBound));
        return (error, watch.Elapsed, GC.GetTotalAllocatedBytes(precise: true) - before);
    }

    private static void AssertTooLarge(KlingApiException error, long allocated)
    {
        Assert.Equal(KlingErrorKind.InvalidResponse, error.Kind);
        Assert.Equal(FailureCause.AnswerTooLarge, error.Cause);
        Assert.Contains("past 16 MiB", error.Message);
        Assert.True(allocated < AllocationBound, $"{allocated >> 20} MiB allocated");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_oversized_query_answer_is_refused_at_the_cap(bool gzip)
    {
        await using var e = await Emulated.StartAsync();
        var task = await e.Client.SubmitAsync(UrlRequest("cat-1"));
        e.Emulator.Log.Clear(); // the submission's own look-up-first and create are not what is counted
        e.Emulator.Options.Faults.Add(FaultRule.OversizedAnswer(256L << 20, gzip).ForTarget(FaultTarget.Query));

        var (error, _, allocated) = await Measure(call => e.Client.GetTaskAsync(task.Route, task.TaskId, call));

        AssertTooLarge(error, allocated);
        Assert.False(error.OutcomeUnknown);
        Assert.Equal(1, e.Emulator.Log.Count("GET", "/kling/v1/videos/image2video/"));
    }

    [Fact]
    public async Task An_endless_list_answer_ends_at_the_cap()
    {
        await using var e = await Emulated.StartAsync();
        await e.Client.SubmitAsync(UrlRequest("cat-1"));
        e.Emulator.Options.Faults.Add(FaultRule.EndlessBody().ForTarget(FaultTarget.List));

        var (error, took, allocated) = await Measure(call => e.Client.ListTasksAsync(KlingRoute.ImageToVideo, 1, 500, call));

        AssertTooLarge(error, allocated);
        Assert.True(took < TimeBound);
    }

    [Fact]
    public async Task An_endless_query_answer_ends_at_the_cap_and_is_retried_by_the_rules()
    {
        await using var e = await Emulated.StartAsync();
        var task = await e.Client.SubmitAsync(UrlRequest("cat-1"));
        e.Emulator.Log.Clear(); // the submission's own look-up-first and create are not what is counted
        e.Emulator.Options.Faults.Add(FaultRule.EndlessBody().ForTarget(FaultTarget.Query).AtMost(1));

        var fresh = await e.Client.GetTaskAsync(task.Route, task.TaskId).WaitAsync(TimeBound);

        Assert.Equal(task.TaskId, fresh.TaskId);
        Assert.Equal(2, e.Emulator.Log.Count("GET", "/kling/v1/videos/image2video/"));
    }

    [Theory]
    [InlineData("endless", false)]
    [InlineData("oversized", false)]
    [InlineData("oversized", true)]
    public async Task A_create_whose_answer_is_cut_off_is_looked_up_by_its_external_id_and_made_once(string fault, bool gzip)
    {
        await using var e = await Emulated.StartAsync();
        var rule = fault == "endless" ? FaultRule.EndlessBody() : FaultRule.OversizedAnswer(256L << 20, gzip);
        e.Emulator.Options.Faults.Add(rule.ForTarget(FaultTarget.Create).AtMost(1));
        var said = new List<string>();

        var task = await e.Client.SubmitAsync(UrlRequest("cat-1"), new KlingCallOptions { Verbose = said.Add }).WaitAsync(TimeBound);

        Assert.Equal(1, e.Emulator.TasksCreated);
        Assert.Equal(e.Emulator.Tasks.Single().TaskId, task.TaskId);
        Assert.Equal(1, e.Creates);
        // After the create (an explicit external id is also looked up once before it): one look-up, no second create.
        Assert.Equal(["/kling/v1/videos/image2video/cat-1"], e.Emulator.Log.Entries.SkipWhile(l => l.Method != "POST").Where(l => l.Method == "GET").Select(l => l.Path));
        Assert.Contains(said, s => s.Contains("past 16 MiB") && s.Contains("retry 1"));
        Assert.Contains(said, s => s.Contains("looking up external id cat-1"));
    }
}

[CollectionDefinition(AnswerSizeTests.Collection, DisableParallelization = true)]
public sealed class AnswerSizeCollection;
