using System.Globalization;
using KlingPS.Emulator;

namespace KlingPS.Benchmark;

/// <summary>
/// P5: a large video from loopback, saved by VideoDownloader, by a plain HttpClient stream copy and by curl,
/// alternating, median of 3 rounds; and KlingPS's peak memory at two file sizes, to show it does not grow with them.
/// </summary>
internal static class DownloadBench
{
    private const long SmallBytes = 20L << 20, LargeBytes = 200L << 20;
    private const int Rounds = 5;

    public static async Task RunAsync(Workspace ws, Report report)
    {
        Console.WriteLine();
        Console.WriteLine($"== P5: downloads of {Tools.MiB(SmallBytes)} and {Tools.MiB(LargeBytes)} videos from 127.0.0.1, median of {Rounds} rounds (child processes).");
        var still = ws.Stills("p5-still", 1)[0];
        // The files go to memory where the system has a RAM disk: writing 200 MiB to a disk leaves its writeback to weigh on
        // whichever way runs next (seen here: the same build from 0.6x to 1.4x), and the disk is not what is compared.
        var folder = Directory.Exists("/dev/shm") ? Directory.CreateDirectory(Path.Combine("/dev/shm", "klingps-p5-" + Guid.NewGuid().ToString("N"))).FullName
            : ws.Folder("p5");
        await using var emulator = await KlingEmulator.StartAsync(new EmulatorOptions { GenerationTime = TimeSpan.FromMilliseconds(100), VideoHost = "127.0.0.1" });
        using var client = new KlingClient(new KlingClientOptions(new KlingApiKey(BenchOptions.ApiKey)) { BaseUri = emulator.BaseUri });

        // Padding applies to tasks created from then on, so each size is a task of its own.
        async Task<Uri> VideoAsync(long padding)
        {
            emulator.Options.VideoPaddingBytes = padding;
            var task = await client.SubmitAsync(KlingPipeline.Request(still));
            for (var i = 0; i < 100 && !task.IsFinal; i++)
            {
                await Task.Delay(50);
                task = await client.GetTaskAsync(task.Route, task.TaskId);
            }
            return task.Status == KlingTaskStatus.Succeeded ? task.Videos[0].Url : throw new InvalidOperationException($"task {task.TaskId} ended {task.Status}");
        }
        var warmup = await VideoAsync(0);
        var videos = new Dictionary<long, Uri> { [SmallBytes] = await VideoAsync(SmallBytes), [LargeBytes] = await VideoAsync(LargeBytes) };

        var curl = Tools.FindOnPath("curl");
        var ways = new List<string> { "KlingPS", "HttpClient" };
        if (curl != null) ways.Add("curl");
        var speeds = ways.ToDictionary(w => w, _ => new List<double>()); // MiB/s at the large size
        var peaks = new Dictionary<(string, long), long>();
        foreach (var size in videos.Keys)
            for (var round = 0; round < Rounds; round++)
                foreach (var way in ways)
                {
                    var target = Path.Combine(folder, "video.mp4");
                    var run = way == "curl"
                        ? await Tools.RunAsync(Tools.Command(curl!, ["-sS", "-o", target, "-w", $"{Tools.ResultPrefix}seconds=%{{time_total}} bytes=%{{size_download}}\\n", videos[size].ToString()]), TimeSpan.FromMinutes(2))
                        : await Tools.RunAsync(Tools.Self(["--child", way == "KlingPS" ? "p5-klingps" : "p5-httpclient", "--base-uri", emulator.BaseUri.ToString(),
                            "--warmup-url", warmup.ToString(), "--url", videos[size].ToString(), "--out", target]), TimeSpan.FromMinutes(2));
                    File.Delete(target);
                    var v = run.Values;
                    if (!v.ContainsKey("bytes"))
                    {
                        Console.WriteLine($"   {way}: no result ({run.Failure})");
                        continue;
                    }
                    var seconds = way == "curl" ? double.Parse(v["seconds"], CultureInfo.InvariantCulture) : v.Long("elapsed-us") / 1e6;
                    if (size == LargeBytes) speeds[way].Add(v.Long("bytes") / 1048576.0 / seconds);
                    if (v.ContainsKey("peak")) peaks[(way, size)] = Math.Max(peaks.GetValueOrDefault((way, size)), v.Long("peak") - v.Long("baseline"));
                }

        var median = speeds.Where(s => s.Value.Count > 0).ToDictionary(s => s.Key, s => Tools.Median(s.Value));
        foreach (var (way, speed) in median) report.Info("P5", $"{way} download speed ({Tools.MiB(LargeBytes)})", $"{speed:0} MiB/s");
        if (!median.TryGetValue("KlingPS", out var klingps))
        {
            report.Skipped("P5", "download speed", "VideoDownloader gave no figure");
            return;
        }
        foreach (var other in new[] { "HttpClient", "curl" }.Where(median.ContainsKey))
            report.Goal("P5", $"KlingPS / {other} download speed", Tools.Ratio(klingps / median[other]), ">= 0.90x", klingps / median[other] >= 0.9);
        if (curl == null) report.Skipped("P5", "curl download", "curl not on PATH");

        if (peaks.TryGetValue(("KlingPS", SmallBytes), out var small) && peaks.TryGetValue(("KlingPS", LargeBytes), out var large))
        {
            // Flat: going from the small to the large file adds less than 5 % of the extra bytes to the peak.
            var allowed = (LargeBytes - SmallBytes) / 20;
            report.Goal("P5", $"KlingPS peak memory, {Tools.MiB(SmallBytes)} -> {Tools.MiB(LargeBytes)} file", $"{Tools.MiB(small)} -> {Tools.MiB(large)}",
                $"growth <= {Tools.MiB(allowed)}", large - small <= allowed);
        }
        if (peaks.TryGetValue(("HttpClient", SmallBytes), out var hs) && peaks.TryGetValue(("HttpClient", LargeBytes), out var hl))
            report.Info("P5", $"HttpClient peak memory, {Tools.MiB(SmallBytes)} -> {Tools.MiB(LargeBytes)} file", $"{Tools.MiB(hs)} -> {Tools.MiB(hl)}");
        if (folder.StartsWith("/dev/shm/", StringComparison.Ordinal)) Directory.Delete(folder, recursive: true);
    }
}
