// The batch flow of the cmdlet pipeline, as a process that tests can kill and run again:
//   dotnet KlingPS.BatchDriver.dll --base-uri http://127.0.0.1:5080/ --images ./stills --out ./clips --journal ./batch.journal
// The key comes from --key or, better (command lines are visible to other users), the COMETAPI_KEY environment variable.
// Prints one line per event: "submitted <task id> <image>", "failed <task id> <image>: <reason>", "saved <path>",
// "skipped <path>", "error <item>: <message>", "warning <message>", with --verbose "verbose <message>", and at the end
// "done ..." or "cancelled".
// With --go-on-stdin it prints "ready" once started and begins when a line arrives on stdin, so that a test can start
// several processes at the same moment. Exit code: 0 all saved, 1 some item failed, 2 bad arguments, 130 cancelled (Ctrl+C).
using System.Globalization;
using KlingPS.BatchDriver;

var values = new Dictionary<string, string>(StringComparer.Ordinal);
var flags = new HashSet<string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--verbose" || args[i] == "--go-on-stdin") flags.Add(args[i]);
    else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length) values[args[i]] = args[++i];
    else return Usage($"unexpected argument '{args[i]}'");
}

string? Value(string name) => values.TryGetValue(name, out var v) ? v : null;
int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
TimeSpan Ms(string name, TimeSpan fallback) => Value(name) is { } v ? TimeSpan.FromMilliseconds(int.Parse(v, CultureInfo.InvariantCulture)) : fallback;

var key = Value("--key") ?? Environment.GetEnvironmentVariable("COMETAPI_KEY");
if (string.IsNullOrWhiteSpace(key)) return Usage("no key: give --key or set COMETAPI_KEY");
if (Value("--base-uri") is not { } baseUri || Value("--images") is not { } images || Value("--out") is not { } output
    || Value("--journal") is not { } journal)
    return Usage("--base-uri, --images, --out and --journal are required");

var client = new KlingClientOptions(new KlingApiKey(key))
{
    BaseUri = new Uri(baseUri),
    MaximumRetryCount = Int("--retries", 4),
    RetryInterval = Ms("--retry-ms", TimeSpan.FromSeconds(1)),
    MaximumRetryDelay = Ms("--max-retry-ms", TimeSpan.FromSeconds(30)),
    RequestTimeout = Ms("--request-timeout-ms", TimeSpan.FromSeconds(100)),
};
var options = new BatchRunOptions(client, images, output, journal)
{
    SubmitThrottle = Int("--throttle", 5),
    DownloadThrottle = Int("--download-throttle", 4),
    Verbose = flags.Contains("--verbose"),
    Wait = new WaitOptions
    {
        MinimumPollInterval = Ms("--poll-ms", TimeSpan.FromSeconds(1)),
        MaximumPollInterval = Ms("--max-poll-ms", TimeSpan.FromSeconds(60)),
    },
};

if (flags.Contains("--go-on-stdin"))
{
    Console.WriteLine("ready");
    Console.ReadLine();
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // end through the token, so that nothing half-written stays behind
    cancel.Cancel();
};
try
{
    var result = await BatchRun.RunAsync(options, cancel.Token);
    return result.Succeeded ? 0 : 1;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    return 130;
}

static int Usage(string problem)
{
    Console.Error.WriteLine("KlingPS.BatchDriver: " + problem);
    Console.Error.WriteLine("usage: --base-uri URI [--key KEY] --images DIR --out DIR --journal FILE [--throttle N] [--download-throttle N]");
    Console.Error.WriteLine("       [--retries N] [--retry-ms N] [--max-retry-ms N] [--request-timeout-ms N] [--poll-ms N] [--max-poll-ms N] [--verbose] [--go-on-stdin]");
    return 2;
}
