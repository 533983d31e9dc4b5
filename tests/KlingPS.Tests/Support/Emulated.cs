using System.Diagnostics;
using KlingPS.Emulator;

namespace KlingPS.Tests.Support;

/// <summary>
/// The one emulator fixture of the xunit tests: an emulator, a client pointed at it and a fresh folder, with short delays
/// and retry intervals so fault tests run fast. <see cref="Reliability.BatchBench"/> builds its batches on it.
/// </summary>
internal sealed class Emulated : IAsyncDisposable
{
    public const string Key = "test-key";

    /// <summary>The longest a test waits for something that takes well under a second here: past it, the test fails.</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private Emulated(KlingEmulator emulator, Action<KlingClientOptions>? client, string folder)
    {
        Emulator = emulator;
        Client = new KlingClient(ClientOptions(Key, client));
        Folder = folder;
    }

    public KlingEmulator Emulator { get; }
    public KlingClient Client { get; }
    /// <summary>A fresh temporary folder for this test's files.</summary>
    public string Folder { get; }

    public static async Task<Emulated> StartAsync(Action<EmulatorOptions>? configure = null, Action<KlingClientOptions>? client = null)
    {
        var options = new EmulatorOptions
        {
            SubmittedTime = TimeSpan.FromMilliseconds(50),
            GenerationTime = TimeSpan.FromMilliseconds(200),
        };
        configure?.Invoke(options);
        var emulator = await KlingEmulator.StartAsync(options);
        var folder = Path.Combine(Path.GetTempPath(), "klingps-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return new Emulated(emulator, client, folder);
    }

    /// <summary>Settings of a client for this emulator: short retry and probe intervals, a 10 s request timeout, then <paramref name="configure"/>'s changes.</summary>
    public KlingClientOptions ClientOptions(string key = Key, Action<KlingClientOptions>? configure = null)
    {
        var options = new KlingClientOptions(new KlingApiKey(key))
        {
            BaseUri = Emulator.BaseUri,
            RetryInterval = TimeSpan.FromMilliseconds(10),
            MaximumRetryDelay = TimeSpan.FromMilliseconds(100),
            ProbeInterval = TimeSpan.FromMilliseconds(10),
            MaximumProbeDelay = TimeSpan.FromMilliseconds(500),
            RequestTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>
    /// Queries <paramref name="task"/> every <paramref name="pollMs"/> ms until it is final, keeping its source (a fresh
    /// query does not know it, the waiter keeps it), for at most <see cref="WaitLimit"/>. Each answer goes to <paramref name="answered"/>.
    /// </summary>
    public async Task<KlingTask> UntilFinalAsync(KlingTask task, int pollMs = 50, Action<KlingTask>? answered = null)
    {
        var clock = Stopwatch.StartNew();
        while (!task.IsFinal)
        {
            if (clock.Elapsed > WaitLimit) throw new TimeoutException($"task {task.TaskId} is still {task.Status} after {WaitLimit.TotalSeconds} s");
            await Task.Delay(pollMs);
            task = (await Client.GetTaskAsync(task.Route, task.TaskId)).WithSource(task.Source);
            answered?.Invoke(task);
        }
        return task;
    }

    /// <summary>A real PNG file of the given size in this test's folder.</summary>
    public string Png(string name, int width = 640, int height = 480)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, TestImages.Png(width, height));
        return path;
    }

    public int Creates => Emulator.Log.Entries.Count(e => e.Method == "POST" && e.Path.StartsWith("/kling/", StringComparison.Ordinal));

    public static WaitOptions FastWait() => new()
    {
        MinimumPollInterval = TimeSpan.FromMilliseconds(50),
        MaximumPollInterval = TimeSpan.FromMilliseconds(300),
    };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Emulator.DisposeAsync();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
