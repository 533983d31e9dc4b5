using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace KlingPS.Benchmark;

/// <summary>
/// The hidden "--child MODE" runs: one measurement in a fresh process, so its peak memory holds nothing
/// but the measured work (the emulator runs in the parent). Each prints "result key=value ..." last.
/// </summary>
internal static class Child
{
    public static async Task<int> RunAsync(string[] args)
    {
        var a = new Dictionary<string, string>();
        for (var i = 2; i + 1 < args.Length; i += 2) a[args[i].TrimStart('-')] = args[i + 1];
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = cts.Token;
        switch (args[1])
        {
            case "p4-klingps":
                await P4KlingPSAsync(new Uri(a["base-uri"]), a["folder"], a["warmup"], ct);
                return 0;
            case "p4-naive-csharp":
                await P4NaiveAsync(new Uri(a["base-uri"]), a["folder"], a["warmup"], ct);
                return 0;
            case "p5-klingps":
                using (var client = new KlingClient(new KlingClientOptions(new KlingApiKey(BenchOptions.ApiKey)) { BaseUri = new Uri(a["base-uri"]) }))
                {
                    var downloader = new VideoDownloader(client);
                    await P5Async(a, (url, path) => downloader.DownloadAsync(new KlingVideo("bench", url, TimeSpan.FromSeconds(5), "bench"), path, force: true, ct: ct));
                }
                return 0;
            case "p5-httpclient":
                using (var http = new HttpClient())
                    await P5Async(a, (url, path) => DownloadPlain(http, url, path, ct));
                return 0;
            default:
                Console.Error.WriteLine($"unknown child mode {args[1]}");
                return 2;
        }
    }

    /// <summary>What New-KlingImageVideo does with 4 files: one BatchSubmitter, all in flight at once (ThrottleLimit 5).</summary>
    private static async Task P4KlingPSAsync(Uri baseUri, string folder, string warmup, CancellationToken ct)
    {
        using var client = new KlingClient(new KlingClientOptions(new KlingApiKey(BenchOptions.ApiKey)) { BaseUri = baseUri });
        var failed = new ConcurrentQueue<BatchOutcome>();
        using var submitter = new BatchSubmitter(client, KlingPipeline.CmdletThrottleLimit, null, null, r => { if (r.Error != null) failed.Enqueue(r); }, ct);
        async Task SubmitAll(IEnumerable<string> files)
        {
            foreach (var file in files)
            {
                var request = KlingPipeline.Request(file);
                submitter.Check(request);
                submitter.Submit(request, file);
            }
            await submitter.WhenAllDone();
            if (failed.TryPeek(out var f)) throw new InvalidOperationException($"{f.Item}: {f.Error!.Message}", f.Error);
        }
        await SubmitAll([warmup]);
        var baseline = PeakMemory.Reset();
        await SubmitAll(Directory.GetFiles(folder, "*.png"));
        PeakMemory.Print(baseline);
    }

    /// <summary>The sequential loop's submission, one file after another.</summary>
    private static async Task P4NaiveAsync(Uri baseUri, string folder, string warmup, CancellationToken ct)
    {
        using var http = SequentialLoop.Http(baseUri);
        await SequentialLoop.SubmitAsync(http, warmup, ct);
        var baseline = PeakMemory.Reset();
        foreach (var file in Directory.GetFiles(folder, "*.png")) await SequentialLoop.SubmitAsync(http, file, ct);
        PeakMemory.Print(baseline);
    }

    /// <summary>A warm-up download (JIT, connection), then the measured one: its time and the peak memory over it.</summary>
    private static async Task P5Async(Dictionary<string, string> a, Func<Uri, string, Task> download)
    {
        await download(new Uri(a["warmup-url"]), a["out"]);
        File.Delete(a["out"]);
        var baseline = PeakMemory.Reset();
        var clock = Stopwatch.StartNew();
        await download(new Uri(a["url"]), a["out"]);
        clock.Stop();
        PeakMemory.Print(baseline, $"elapsed-us={clock.Elapsed.Ticks / 10} bytes={new FileInfo(a["out"]).Length}");
    }

    private static async Task DownloadPlain(HttpClient http, Uri url, string path, CancellationToken ct)
    {
        await using var body = await http.GetStreamAsync(url, ct);
        await using var file = File.Create(path);
        await body.CopyToAsync(file, ct);
    }
}

/// <summary>Peak memory (working set / resident set) of this process over a stretch of work.</summary>
internal static class PeakMemory
{
    /// <summary>Starts a measurement: collects garbage, resets the peak where the OS allows it, returns the current size.</summary>
    public static long Reset()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        // Linux: writing 5 to clear_refs resets the peak (VmHWM) to the current size. Elsewhere the peak
        // since start stays, which can only hide growth that stays below the start-up peak.
        if (File.Exists("/proc/self/clear_refs")) File.WriteAllText("/proc/self/clear_refs", "5");
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    public static void Print(long baseline, string extra = "")
    {
        using var self = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Tools.ResultPrefix}baseline={baseline} peak={self.PeakWorkingSet64} {extra}").TrimEnd());
    }
}
