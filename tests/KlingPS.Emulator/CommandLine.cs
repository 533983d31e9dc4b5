using System.Globalization;

namespace KlingPS.Emulator;

/// <summary>The emulator's command-line options (README.md, "Running it").</summary>
internal static class CommandLine
{
    /// <returns>The options, and whether to stop when stdin closes.</returns>
    /// <exception cref="ArgumentException">An unknown option, a missing value or an invalid callback secret.</exception>
    /// <exception cref="FormatException">A number that is not one.</exception>
    public static (EmulatorOptions Options, bool WatchStdin) Parse(string[] args)
    {
        var options = new EmulatorOptions { Port = 5080 };
        var keys = new List<string>();
        double scale = 1;
        bool watchStdin = true;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            double Number() => double.Parse(Value(), CultureInfo.InvariantCulture);
            int Integer() => int.Parse(Value(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--port": options.Port = Integer(); break;
                case "--key": keys.Add(Value()); break;
                case "--concurrency": options.Concurrency = Integer(); break;
                case "--generation-seconds": options.GenerationTime = TimeSpan.FromSeconds(Number()); break;
                case "--submitted-seconds": options.SubmittedTime = TimeSpan.FromSeconds(Number()); break;
                case "--latency-ms": options.Latency = TimeSpan.FromMilliseconds(Number()); break;
                case "--failure-rate": options.TaskFailureRate = Number(); break;
                case "--no-list": options.ListEndpointSupported = false; break;
                case "--no-unique-external-id": options.UniqueExternalTaskIds = false; break;
                case "--callback-secret": options.CallbackSecret = Value(); break;
                case "--duplicate-callbacks": options.DuplicateCallbacks = true; break;
                case "--callback-retries": options.CallbackRetries = Integer(); break;
                case "--callback-retry-ms": options.CallbackRetryDelay = TimeSpan.FromMilliseconds(Number()); break;
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
}
