using System.Globalization;
using System.Runtime.InteropServices;
using KlingPS.Emulator;

// Runs the emulator as a process for out-of-process tests (see README.md for the options).
EmulatorOptions options;
bool watchStdin;
try
{
    (options, watchStdin) = ParseArguments(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"klingps-emulator: {e.Message}");
    return 2;
}

await using var emulator = await KlingEmulator.StartAsync(options);
Console.WriteLine($"KlingPS emulator listening on {emulator.BaseUri}");

var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
if (watchStdin)
{
    // A parent that dies closes our stdin; stopping then keeps orphaned emulators from holding ports.
    _ = Task.Run(async () =>
    {
        await using var stdin = Console.OpenStandardInput();
        var buffer = new byte[256];
        while (await stdin.ReadAsync(buffer) > 0) { }
        stop.TrySetResult();
    });
}
await stop.Task;
return 0;

static (EmulatorOptions Options, bool WatchStdin) ParseArguments(string[] args)
{
    var options = new EmulatorOptions { Port = 5080 };
    var keys = new List<string>();
    double scale = 1;
    bool watchStdin = true;
    for (int i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        double Number() => double.Parse(Value(), CultureInfo.InvariantCulture);
        switch (args[i])
        {
            case "--port": options.Port = int.Parse(Value(), CultureInfo.InvariantCulture); break;
            case "--key": keys.Add(Value()); break;
            case "--concurrency": options.Concurrency = int.Parse(Value(), CultureInfo.InvariantCulture); break;
            case "--generation-seconds": options.GenerationTime = TimeSpan.FromSeconds(Number()); break;
            case "--submitted-seconds": options.SubmittedTime = TimeSpan.FromSeconds(Number()); break;
            case "--latency-ms": options.Latency = TimeSpan.FromMilliseconds(Number()); break;
            case "--failure-rate": options.TaskFailureRate = Number(); break;
            case "--no-list": options.ListEndpointSupported = false; break;
            case "--no-unique-external-id": options.UniqueExternalTaskIds = false; break;
            case "--time-scale": scale = Number(); break;
            case "--ignore-stdin": watchStdin = false; break;
            default: throw new ArgumentException($"unknown argument '{args[i]}'");
        }
    }
    if (keys.Count > 0)
    {
        options.ApiKeys.Clear();
        options.ApiKeys.UnionWith(keys);
    }
    options.SubmittedTime *= scale;
    options.GenerationTime *= scale;
    options.Latency *= scale;
    return (options, watchStdin);
}
