using System.Text;
using System.Text.Json;
using KlingPS.BatchDriver;
using KlingPS.Emulator;
using Xunit.Abstractions;

namespace KlingPS.Tests.Reliability;

/// <summary>
/// Issue 5: the key is in nothing a run produces. Runs with a distinctive key (in-process and as a process, through
/// successes, injected faults, failed tasks, refused requests, and a wrong key) and collects every stream and file they
/// produce: verbose messages, output lines, stdout and stderr, each exception's ToString(), each object's ToString() and
/// JSON, the journal, the output folder's names and bytes, and every request the emulator saw.
/// </summary>
[Collection(BatchBench.Collection)]
public class KeyHygieneTests(ITestOutputHelper output)
{
    private const string Secret = "sk-KLINGPS-SECRET-7f3a";
    private const string WrongSecret = "sk-KLINGPS-WRONGKEY-9c1d";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    [Fact]
    public async Task The_key_appears_in_no_stream_object_file_or_request_of_a_run()
    {
        await using var bench = await BatchBench.StartAsync(12, o =>
        {
            o.ApiKeys.Add(Secret);
            o.TaskFailureRate = 0.25;
            o.Seed = 77;
        });
        foreach (var rule in FaultedBatchTests.TenPercent) bench.Emulator.Options.Faults.Add(rule.WithRate(0.02));
        bench.Emulator.Options.Faults.Add(FaultRule.Status(403, 1103).ForTarget(FaultTarget.Create).OnFirst(1));
        bench.Emulator.Options.Faults.Add(FaultRule.Status(429, 1102).ForTarget(FaultTarget.Download).OnFirst(1));
        var seen = new List<string>();

        // In-process, verbose: the output lines, then every object the run handed back.
        var options = bench.Options(Secret);
        options.Verbose = true;
        var result = await BatchRun.RunAsync(options, CancellationToken.None);
        seen.AddRange(bench.Lines);
        Describe(seen, result);

        // As a process, verbose, the key in its environment: everything on stdout and stderr.
        var lines = new List<string>();
        using (var process = bench.StartDriver(Secret, l => { lock (lines) lines.Add(l); },
            $"--verbose --out \"{Path.Combine(bench.Root, "clips2")}\" --journal \"{Path.Combine(bench.Root, "second.journal")}\""))
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(limit.Token);
            process.WaitForExit();
        }
        seen.AddRange(lines);

        // A wrong key: every submission is refused.
        var wrong = bench.Options(WrongSecret);
        wrong.Verbose = true;
        var refused = await BatchRun.RunAsync(wrong, CancellationToken.None);
        Describe(seen, refused);

        // The connection as Get-KlingContext shows it, and the settings objects.
        using (var connection = new KlingConnection(bench.Client(Secret), "COMETAPI_KEY"))
        {
            var info = connection.Describe();
            seen.Add(info.ApiKeyHint);
            seen.Add(JsonSerializer.Serialize(info, Json));
            seen.Add(JsonSerializer.Serialize(connection.Options, Json));
            seen.Add(connection.Options.ApiKey.ToString());
        }

        // Every file under the run's folder (images, videos, journals, any leftover): names and contents.
        foreach (var file in Directory.EnumerateFiles(bench.Root, "*", SearchOption.AllDirectories))
        {
            seen.Add(file);
            seen.Add(Encoding.Latin1.GetString(File.ReadAllBytes(file)));
        }

        // Every request: its path, query and body; the key goes to the API's host only, and only in the header.
        var log = bench.Emulator.Log.Entries;
        seen.AddRange(log.Select(e => $"{e.Method} {e.Path}{e.Query} {e.Status} {e.Fault} {e.Body}"));
        Assert.All(log.Where(e => e.Path.StartsWith("/files/", StringComparison.Ordinal)), e => Assert.False(e.HadAuthorization, e.Path));

        // The collection holds what it should, or finding nothing in it would prove nothing.
        Assert.Contains(seen, s => s.StartsWith("verbose ", StringComparison.Ordinal) && s.Contains("retry"));
        Assert.Contains(seen, s => s.StartsWith("saved ", StringComparison.Ordinal));
        Assert.Contains(seen, s => s.StartsWith("failed ", StringComparison.Ordinal));
        Assert.Contains(seen, s => s.Contains("Unauthorized access")); // the 403 1103
        Assert.Contains(seen, s => s.Contains("Resource pack depleted")); // the download's 1102
        Assert.Contains(seen, s => s.Contains("Invalid token")); // the wrong key
        Assert.Contains(seen, s => s.Contains("****7f3a")); // the hint, which is all of the key anything may show
        Assert.Contains(log, e => e.Fault != null);
        Assert.Contains(log, e => e.Path.StartsWith("/files/", StringComparison.Ordinal));
        output.WriteLine($"{seen.Count} texts, {seen.Sum(s => (long)s.Length)} characters, {log.Count} requests searched");

        foreach (var key in new[] { Secret, WrongSecret, "KLINGPS-SECRET", "KLINGPS-WRONGKEY" })
        {
            var leak = seen.FirstOrDefault(s => s.Contains(key, StringComparison.OrdinalIgnoreCase));
            Assert.True(leak == null, $"'{key}' found in: {leak}");
        }
    }

    /// <summary>Everything a run handed back: each task, video and error, by ToString() and as JSON.</summary>
    private static void Describe(List<string> seen, BatchRunResult result)
    {
        foreach (var task in result.Submitted.Concat(result.Finished))
        {
            seen.Add(task.ToString());
            seen.Add(JsonSerializer.Serialize(task, Json));
            foreach (var video in task.Videos)
            {
                seen.Add(video.ToString());
                seen.Add(JsonSerializer.Serialize(video, Json));
            }
        }
        Assert.NotEmpty(result.Errors);
        foreach (var error in result.Errors)
        {
            seen.Add(error.ToString());
            if (error is KlingApiException x)
            {
                // Exceptions do not serialize as a whole (TargetSite); their own properties do.
                seen.Add(JsonSerializer.Serialize(new { x.Kind, x.Message, x.StatusCode, x.KlingCode, x.GatewayCode, x.ServiceMessage, x.RequestId, x.Target, x.Task }, Json));
            }
            for (var inner = error.InnerException; inner != null; inner = inner.InnerException) seen.Add(inner.ToString());
        }
    }
}
