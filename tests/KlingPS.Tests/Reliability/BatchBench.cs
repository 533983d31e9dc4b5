using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using KlingPS.BatchDriver;
using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Reliability;

/// <summary>
/// A batch on the bench: the emulator fixture (<see cref="Emulated"/>) with a folder of small PNGs, an output folder and a
/// journal in its folder, and the batch flow of tests/KlingPS.BatchDriver run against them in-process or as a process.
/// Every time is short so a 200-image batch takes seconds; the checks shared by the reliability tests live here.
/// </summary>
internal sealed class BatchBench : IAsyncDisposable
{
    /// <summary>The reliability tests run one after another: each is heavy, and several count on timings.</summary>
    public const string Collection = "Reliability";

    private readonly Emulated emulated;

    private BatchBench(Emulated emulated, int count)
    {
        this.emulated = emulated;
        Count = count;
        Directory.CreateDirectory(Images);
        Directory.CreateDirectory(Out);
        var png = TestImages.Png(320, 320);
        for (var i = 0; i < count; i++) File.WriteAllBytes(Path.Combine(Images, $"img{i:000}.png"), png);
    }

    public KlingEmulator Emulator => emulated.Emulator;
    public string Root => emulated.Folder;
    public int Count { get; }
    public string Images => Path.Combine(Root, "stills");
    public string Out => Path.Combine(Root, "clips");
    public string JournalPath => Path.Combine(Root, "batch.journal");

    /// <summary>Every line any run printed, in order per run.</summary>
    public ConcurrentQueue<string> Lines { get; } = new();

    /// <summary>An account with 10 slots, unless <paramref name="configure"/> says otherwise.</summary>
    public static async Task<BatchBench> StartAsync(int images, Action<EmulatorOptions>? configure = null) =>
        new(await Emulated.StartAsync(o => { o.Concurrency = 10; configure?.Invoke(o); }), images);

    /// <summary>Client settings for a run: the fixture's short retry intervals, a short request timeout, and retries enough that a 10% fault rate cannot exhaust them.</summary>
    public KlingClientOptions Client(string key = Emulated.Key) => emulated.ClientOptions(key, o =>
    {
        o.MaximumRetryCount = 10;
        o.RequestTimeout = TimeSpan.FromSeconds(1);
    });

    public BatchRunOptions Options(string key = Emulated.Key) => new(Client(key), Images, Out, JournalPath)
    {
        SubmitThrottle = 10,
        DownloadThrottle = 8,
        Wait = Emulated.FastWait(),
        Output = Lines.Enqueue,
    };

    /// <summary>The same settings as command-line arguments of the driver (the key goes by environment variable).</summary>
    public string Arguments() =>
        $"--base-uri {Emulator.BaseUri} --images \"{Images}\" --out \"{Out}\" --journal \"{JournalPath}\" --throttle 10 --download-throttle 8 " +
        "--retries 10 --retry-ms 10 --max-retry-ms 100 --request-timeout-ms 2000 --poll-ms 50 --max-poll-ms 300";

    public string[] PartFiles() => Directory.EnumerateFiles(Out).Where(f => f.EndsWith(".part", StringComparison.Ordinal)).ToArray();

    /// <summary>
    /// The journal's records after its header, each line parsed (a line that does not parse fails the test: the journal must
    /// stay valid).
    /// </summary>
    public List<JsonElement> JournalRecords()
    {
        var lines = File.ReadAllLines(JournalPath);
        Assert.StartsWith("{\"journal\":\"KlingPS batch journal\",", lines[0]);
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    /// <summary>
    /// The end state of a complete batch: exactly one task per image at the service, one "submitted" journal record per image,
    /// exactly one video per image in the output folder, byte-identical to what the emulator serves, and nothing else there.
    /// </summary>
    public void AssertComplete()
    {
        var tasks = Emulator.Tasks;
        Assert.Equal(Count, Emulator.TasksCreated);
        Assert.Equal(Count, tasks.Select(t => t.ExternalTaskId).Distinct().Count());

        var submitted = JournalRecords().Where(r => r.GetProperty("kind").GetString() == "submitted").ToList();
        Assert.Equal(Count, submitted.Count);
        var taskOfImage = submitted.ToDictionary(r => Path.GetFileNameWithoutExtension(r.GetProperty("sources")[0].GetString()!), r => r.GetProperty("task_id").GetString()!);
        Assert.Equal(Count, taskOfImage.Values.Distinct().Count());

        Assert.Empty(PartFiles());
        var files = Directory.GetFiles(Out).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"img{i:000}.mp4"), files);
        foreach (var (image, taskId) in taskOfImage)
        {
            var videoId = tasks.Single(t => t.TaskId == taskId).VideoId;
            Assert.True(Emulator.ExpectedVideoSha256(videoId) == Sha256(Path.Combine(Out, image + ".mp4")),
                $"{image}.mp4 differs from video {videoId} of task {taskId}: {Describe(Path.Combine(Out, image + ".mp4"))}");
        }
    }

    private static string Describe(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return $"{bytes.Length} bytes starting {System.Text.Encoding.ASCII.GetString(bytes, 0, Math.Min(60, bytes.Length))}";
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Where the build put the driver: it is copied beside this assembly, with its runtimeconfig.</summary>
    public static string DriverPath
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "KlingPS.BatchDriver.dll");
            Assert.True(File.Exists(path) && File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json")), $"the driver is not built at {path}");
            return path;
        }
    }

    /// <summary>
    /// Starts the driver as a process; each stdout and stderr line goes to <paramref name="line"/> (and to <see cref="Lines"/>).
    /// The key travels in COMETAPI_KEY, never on the command line.
    /// </summary>
    public Process StartDriver(string key, Action<string> line, string extra = "")
    {
        var start = new ProcessStartInfo("dotnet", $"\"{DriverPath}\" {Arguments()} {extra}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.Environment["COMETAPI_KEY"] = key;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data != null) { Lines.Enqueue(e.Data); line(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) { Lines.Enqueue("stderr " + e.Data); line("stderr " + e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public ValueTask DisposeAsync() => emulated.DisposeAsync();
}
