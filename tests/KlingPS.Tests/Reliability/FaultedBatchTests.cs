using System.Diagnostics;
using KlingPS.BatchDriver;
using KlingPS.Emulator;
using Xunit.Abstractions;

namespace KlingPS.Tests.Reliability;

/// <summary>Issue 5: a 200-image batch through the whole flow while about one request in ten goes wrong.</summary>
[Collection(BatchBench.Collection)]
public class FaultedBatchTests(ITestOutputHelper output)
{
    /// <summary>
    /// Every fault the issue names, each on every kind of request (create, query, list, download) with the same rate.
    /// Eleven rules at 0.95% each fault 1 - 0.9905^11 = 10% of requests. Because every rule looks at every request,
    /// the n-th request's fault depends on the seed alone, whatever order concurrent requests arrive in.
    /// </summary>
    internal static readonly FaultRule[] TenPercent =
    [
        FaultRule.Status(429, klingCode: 1302),
        FaultRule.Status(429, klingCode: 1303),
        FaultRule.Status(500),
        FaultRule.Status(502),
        FaultRule.Status(503, klingCode: 5001),
        FaultRule.DropBeforeAccept(),
        FaultRule.DropAfterAccept(),
        FaultRule.Delay(1500), // longer than the client's 1 s request timeout
        FaultRule.MalformedJson(),
        FaultRule.Html(),
        FaultRule.DropMidBody(),
    ];

    internal const double RatePerRule = 0.0095;

    [Fact]
    public async Task A_200_image_batch_with_ten_percent_of_requests_faulted_saves_every_video_exactly_once()
    {
        await using var bench = await BatchBench.StartAsync(200, o => o.Seed = 20250305);
        foreach (var rule in TenPercent) bench.Emulator.Options.Faults.Add(rule.WithRate(RatePerRule));
        var clock = Stopwatch.StartNew();

        var result = await BatchRun.RunAsync(bench.Options(), CancellationToken.None);

        output.WriteLine($"200 images in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(result.Errors.IsEmpty, string.Join(Environment.NewLine, result.Errors.Select(e => e.Message)));
        Assert.Equal(200, result.Saved.Count);
        bench.AssertComplete();

        var log = bench.Emulator.Log.Entries;
        var faulted = log.Where(e => e.Fault != null).ToList();
        foreach (var kind in faulted.GroupBy(e => e.Fault + " on " + Kind(e)).OrderBy(g => g.Key)) output.WriteLine($"{kind.Count(),4} x {kind.Key}");
        output.WriteLine($"{faulted.Count} of {log.Count} requests faulted");
        // Really injected, every kind of them, at about the rate the issue asks for.
        foreach (var kind in new[] { "Status 429/1302", "Status 429/1303", "Status 500", "Status 502", "Status 503/5001", "DropBeforeAccept",
            "DropAfterAccept", "Delay 1500ms", "MalformedJson", "Html", "DropMidBody" })
            Assert.Contains(faulted, e => e.Fault == kind);
        Assert.InRange(faulted.Count / (double)log.Count, 0.06, 0.15);
        // The faults hit every part of the flow, not just one.
        foreach (var part in new[] { "create", "poll", "download" }) Assert.Contains(faulted, e => Kind(e).Contains(part));
    }

    [Fact]
    public async Task A_download_that_gets_no_answer_times_out_and_is_retried_instead_of_hanging()
    {
        await using var e = await Support.Emulated.StartAsync(client: o => o.RequestTimeout = TimeSpan.FromMilliseconds(500));
        var task = await e.UntilFinalAsync(await e.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromUrl(new Uri("https://example.com/slow.jpg")))));
        e.Emulator.Options.Faults.Add(FaultRule.Delay(5000).ForTarget(FaultTarget.Download).OnFirst(1));
        var messages = new List<string>();
        var clock = Stopwatch.StartNew();

        var file = await new VideoDownloader(e.Client).DownloadAsync(task.Videos[0], Path.Combine(e.Folder, "slow.mp4"), false, null,
            new KlingCallOptions { Verbose = messages.Add });

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"the download took {clock.Elapsed}");
        Assert.Contains(messages, m => m.Contains("no answer within 0.5 s") && m.Contains("retry 1"));
        Assert.Equal(e.Emulator.ExpectedVideoBytes(task.Videos[0].Id), File.ReadAllBytes(file.FullName));
    }

    private static string Kind(RequestLogEntry e) =>
        e.Path.StartsWith("/files/", StringComparison.Ordinal) ? "download"
        : e.Method == "POST" ? "create"
        : e.Path.Count(c => c == '/') == 4 ? "poll (list)" : "poll (query)";
}
