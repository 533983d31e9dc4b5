using System.Net;
using System.Text.Json.Nodes;
using KlingPS.Emulator.Api;

namespace KlingPS.Emulator;

/// <summary>
/// CometAPI's Kling video endpoints on 127.0.0.1, for tests: same statuses, bodies, timings and
/// failures as the real service (see /work/shared/api/README.md), plus injectable faults.
/// </summary>
public sealed class KlingEmulator : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TaskStore store;
    private readonly VideoFiles files;
    private readonly CallbackSender callbackSender;
    private readonly CancellationTokenSource stopping = new();
    private int disposed;

    private KlingEmulator(EmulatorOptions options)
    {
        Options = options;
        // Separate streams so fault draws never shift task outcomes, and the reverse.
        var taskRandom = new SeededRandom(options.Seed);
        var faultRandom = new SeededRandom(options.Seed + 1);
        store = new TaskStore(options, taskRandom);
        callbackSender = new CallbackSender(options, Callbacks, TaskObject, stopping.Token);
        files = new VideoFiles(options, store, Log, faultRandom, stopping.Token);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(KlingEmulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            // Four 10 MB images in Base64 exceed Kestrel's 30 MB default.
            kestrel.Limits.MaxRequestBodySize = 100 * 1024 * 1024;
        });
        app = builder.Build();

        var pipeline = new ApiPipeline(options, Log, faultRandom, stopping.Token);
        var accounts = new Accounts(options);
        var router = new Router(
            new CreateEndpoints(pipeline, accounts, store, callbackSender),
            new QueryEndpoints(pipeline, accounts, store, options, TaskObject),
            files,
            new AdminEndpoints(options, Log, Callbacks, store),
            pipeline,
            options);
        app.Run(router.DispatchAsync);
    }

    public static async Task<KlingEmulator> StartAsync(EmulatorOptions? options = null)
    {
        var emulator = new KlingEmulator(options ?? new EmulatorOptions());
        await emulator.app.StartAsync();
        emulator.BaseUri = new Uri(emulator.app.Urls.Single() + "/");
        return emulator;
    }

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri BaseUri { get; private set; } = null!;
    public EmulatorOptions Options { get; }
    public RequestLog Log { get; } = new();
    /// <summary>Every callback delivery attempt (url, headers, body, receiver's status).</summary>
    public CallbackLog Callbacks { get; } = new();

    /// <summary>Tasks accepted, across accounts.</summary>
    public int TasksCreated => store.Count;
    public IReadOnlyList<EmulatedTask> Tasks => store.Snapshot();

    /// <summary>Exactly the bytes a download of the video serves (for small, unpadded videos).</summary>
    public byte[] ExpectedVideoBytes(string videoId) => files.ExpectedBytes(VideoTask(videoId));

    /// <summary>Lower-case hex SHA-256 of what a download of the video serves (for padded videos).</summary>
    public string ExpectedVideoSha256(string videoId) => files.ExpectedSha256(VideoTask(videoId));

    public async ValueTask DisposeAsync()
    {
        // Tests often dispose explicitly inside an "await using"; the second call must be harmless.
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        await stopping.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        callbackSender.Dispose();
        stopping.Dispose();
    }

    private EmulatedTask VideoTask(string videoId) =>
        store.FindByVideoId(videoId) ?? throw new ArgumentException($"no video with id {videoId}", nameof(videoId));

    // The video URL is built at answer time, so a test may change VideoHost while tasks run.
    private JsonObject TaskObject(EmulatedTask task, DateTimeOffset at) =>
        TaskJson.Build(task, at, $"http://{Options.VideoHost}:{BaseUri.Port}/files/{task.VideoId}.mp4");
}
