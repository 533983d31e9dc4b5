using System.Globalization;

namespace KlingPS.Benchmark;

/// <summary>
/// The command line, and the service's realistic settings. Every time-like setting (emulator times and
/// latency, the loop's poll, the waiter's and the client's intervals) is multiplied by the same scale, so
/// the schedule keeps its shape and the ratios do not depend on the scale; only local CPU work does not
/// shrink, which is why the scale should not go much below 0.05.
/// </summary>
internal sealed class BenchOptions
{
    public static readonly string[] Parts = ["P1", "P2", "P3", "P4", "P5"];

    public const int AccountConcurrency = 10;
    public const string ApiKey = "test-key";
    public static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(300);
    public static readonly TimeSpan SubmittedTime = TimeSpan.FromMilliseconds(200); // the emulator's default queue phase
    /// <summary>The sequential loop's poll, as a sysadmin writes it.</summary>
    public static readonly TimeSpan LoopPollInterval = TimeSpan.FromSeconds(5);

    /// <summary>How long each task processes (--generation-seconds): 20 s by default, less to see how short tasks are waited for.</summary>
    public TimeSpan GenerationTime { get; private init; } = TimeSpan.FromSeconds(20);
    public double TimeScale { get; private init; } = 0.05;
    public int Images { get; private init; } = 100;
    public IReadOnlySet<string> Only { get; private init; } = new HashSet<string>(Parts);

    /// <summary>How long a task holds one of the account's slots: from created to final.</summary>
    public TimeSpan SlotTime => SubmittedTime + GenerationTime;

    /// <summary>The service's own limit for the batch: ceil(images / concurrency) x slot time (unscaled).</summary>
    public TimeSpan ServiceLimit => SlotTime * Math.Ceiling(Images / (double)AccountConcurrency);

    public TimeSpan Scaled(TimeSpan t) => TimeSpan.FromTicks((long)(t.Ticks * TimeScale));

    /// <summary>The same run at another time scale (the cmdlet row runs in real time).</summary>
    public BenchOptions AtScale(double scale) => new() { TimeScale = scale, Images = Images, Only = Only };

    public bool Runs(string part) => Only.Contains(part);

    /// <summary>The options, or null (with the reason on stderr) when the command line is wrong.</summary>
    public static BenchOptions? Parse(string[] args)
    {
        double scale = 0.05, generation = 20;
        int images = 100;
        var only = new HashSet<string>(Parts);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--time-scale" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out scale) && scale > 0 && scale <= 1:
                case "--images" when int.TryParse(value, out images) && images >= 1 && images <= 1000:
                case "--generation-seconds" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out generation) && generation > 0 && generation <= 600:
                    i++;
                    break;
                case "--only" when value != null:
                    only = new HashSet<string>(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
                    if (only.Count == 0 || !only.All(p => Parts.Contains(p, StringComparer.OrdinalIgnoreCase))) return Usage($"--only takes a list of {string.Join(",", Parts)}");
                    only = new HashSet<string>(only.Select(p => p.ToUpperInvariant()));
                    i++;
                    break;
                default:
                    return Usage($"unknown or invalid argument '{args[i]}'");
            }
        }
        return new BenchOptions { TimeScale = scale, Images = images, Only = only, GenerationTime = TimeSpan.FromSeconds(generation) };
    }

    private static BenchOptions? Usage(string problem)
    {
        Console.Error.WriteLine($"KlingPS.Benchmark: {problem}.");
        Console.Error.WriteLine("usage: dotnet run -c Release --project tests/KlingPS.Benchmark -- [--time-scale 0.05] [--images 100] [--generation-seconds 20] [--only P1,P2,P3,P4,P5]");
        Console.Error.WriteLine("  --time-scale  0 < F <= 1; multiplies every time-like setting (0.05: a 20 s generation takes 1 s)");
        Console.Error.WriteLine("  --images      1..1000 images in the P1/P2 batch");
        Console.Error.WriteLine("  --generation-seconds  0 < S <= 600; how long each P1/P2 task processes, in service seconds (default 20)");
        return null;
    }
}
