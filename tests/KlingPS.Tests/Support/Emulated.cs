using KlingPS.Emulator;

namespace KlingPS.Tests.Support;

/// <summary>An emulator and a client pointed at it, with short delays so fault tests run fast.</summary>
internal sealed class Emulated : IAsyncDisposable
{
    public const string Key = "test-key";

    private Emulated(KlingEmulator emulator, KlingClient client, string folder)
    {
        Emulator = emulator;
        Client = client;
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
        var clientOptions = new KlingClientOptions(new KlingApiKey(Key))
        {
            BaseUri = emulator.BaseUri,
            RetryInterval = TimeSpan.FromMilliseconds(10),
            MaximumRetryDelay = TimeSpan.FromMilliseconds(100),
            RequestTimeout = TimeSpan.FromSeconds(10),
        };
        client?.Invoke(clientOptions);
        var folder = Path.Combine(Path.GetTempPath(), "klingps-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return new Emulated(emulator, new KlingClient(clientOptions), folder);
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
        InitialEstimate = TimeSpan.FromMilliseconds(250),
    };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Emulator.DisposeAsync();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
