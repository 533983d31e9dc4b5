using System.Diagnostics;
using System.Management.Automation;
using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>
/// Every timeout covers the whole exchange: a server that sends the headers and then stalls (the emulator's
/// StallAfterHeaders), or that answers late (Delay), holds a command no longer than its limit: the connection's
/// -RequestTimeoutSec per attempt, Wait-KlingTask's -TimeoutSec for the wait. Ctrl+C still ends a stalled read at once.
/// Timed with generous bounds: the machine may be busy.
/// </summary>
public class TimeoutTests
{
    private const string Connect = """
        param($BaseUri)
        Connect-Kling -ApiKey (ConvertTo-SecureString 'test-key' -AsPlainText -Force) -BaseUri $BaseUri -RetryIntervalSec 1 -RequestTimeoutSec 2 -SkipKeyCheck
        """;

    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    private static async Task<HostedPowerShell> OpenWithTwoSecondRequests(Emulated emulated)
    {
        var powershell = await HostedPowerShell.OpenAsync();
        var run = await powershell.RunAsync(Connect, new() { ["BaseUri"] = emulated.Emulator.BaseUri });
        if (!run.Threw && run.Errors.Count == 0) return powershell;
        powershell.Dispose(); // its Remove-Module: a leaked import would stay counted by the module's resolver for the whole run
        Assert.Fail(run.Describe());
        return null!;
    }

    private static async Task<KlingTask> RunningTask(Emulated emulated) =>
        await emulated.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromUrl(new Uri("https://example.com/cat.jpg"))));

    private static async Task<(PowerShellRun Run, TimeSpan Took)> Timed(HostedPowerShell powershell, string script, Dictionary<string, object?> parameters)
    {
        var watch = Stopwatch.StartNew();
        var run = await powershell.RunAsync(script, parameters, TimeSpan.FromSeconds(60));
        return (run, watch.Elapsed);
    }

    [Fact]
    public async Task Get_KlingTask_on_a_stalled_answer_ends_after_the_request_timeout_of_each_attempt()
    {
        await using var emulated = await Emulated.StartAsync(o => o.GenerationTime = TimeSpan.FromMinutes(2));
        var task = await RunningTask(emulated);
        emulated.Emulator.Options.Faults.Add(FaultRule.StallAfterHeaders().ForTarget(FaultTarget.Query));
        using var powershell = await OpenWithTwoSecondRequests(emulated);

        var (run, took) = await Timed(powershell, "param($Id) Get-KlingTask -TaskId $Id -MaximumRetryCount 1", new() { ["Id"] = task.TaskId });

        // Two attempts of 2 s each, and one backoff of 1 to 2 s between them.
        Assert.InRange(took, TimeSpan.FromSeconds(4.9), TimeSpan.FromSeconds(6) + Slack);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("KlingTimeout,", error.FullyQualifiedErrorId);
        Assert.Contains("no answer within 2 s", error.Exception.Message);
        Assert.Equal(2, emulated.Emulator.Log.Entries.Count(l => l.Fault == "StallAfterHeaders"));
    }

    [Fact]
    public async Task Get_KlingTask_listing_a_late_answer_ends_after_the_request_timeout()
    {
        await using var emulated = await Emulated.StartAsync();
        await RunningTask(emulated);
        emulated.Emulator.Options.Faults.Add(FaultRule.Delay(20_000).ForTarget(FaultTarget.List));
        using var powershell = await OpenWithTwoSecondRequests(emulated);

        var (run, took) = await Timed(powershell, "Get-KlingTask -MaximumRetryCount 0", []);

        Assert.InRange(took, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(2) + Slack);
        Assert.StartsWith("KlingTimeout,", Assert.Single(run.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public async Task A_create_whose_answer_stalls_times_out_and_its_task_is_found_by_its_external_id()
    {
        await using var emulated = await Emulated.StartAsync();
        var image = emulated.Png("cat.png");
        emulated.Emulator.Options.Faults.Add(FaultRule.StallAfterHeaders().ForTarget(FaultTarget.Create).AtMost(1));
        using var powershell = await OpenWithTwoSecondRequests(emulated);

        var (run, took) = await Timed(powershell, "param($Image) New-KlingImageVideo -LiteralPath $Image", new() { ["Image"] = image });

        Assert.InRange(took, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(2) + Slack);
        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        var task = Assert.Single(run.Objects<KlingTask>());
        Assert.Equal(emulated.Emulator.Tasks.Single().TaskId, task.TaskId);
        Assert.Equal(1, emulated.Creates);
    }

    [Fact]
    public async Task Wait_KlingTask_TimeoutSec_5_ends_near_5_s_although_every_poll_stalls()
    {
        await using var emulated = await Emulated.StartAsync(o => o.GenerationTime = TimeSpan.FromMinutes(2));
        var tasks = new[] { await RunningTask(emulated), await RunningTask(emulated) };
        emulated.Emulator.Options.Faults.Add(FaultRule.StallAfterHeaders().ForTarget(FaultTarget.Query));
        emulated.Emulator.Options.Faults.Add(FaultRule.StallAfterHeaders().ForTarget(FaultTarget.List));
        // The connection's own request timeout (100 s) is far longer than the wait.
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var (run, took) = await Timed(powershell, "param($Tasks) $Tasks | Wait-KlingTask -TimeoutSec 5 -PollIntervalSec 1", new() { ["Tasks"] = tasks });

        // The timeout, then the last look at the tasks, which stalls too and gets at most 3 s.
        Assert.InRange(took, TimeSpan.FromSeconds(4.9), TimeSpan.FromSeconds(5 + 3) + Slack);
        Assert.Contains(emulated.Emulator.Log.Entries, l => l.Fault == "StallAfterHeaders");
        Assert.Equal(tasks.Select(t => t.TaskId).Order(), run.Errors.Select(e => ((KlingTask)e.TargetObject).TaskId).Order());
        Assert.All(run.Errors, e => Assert.StartsWith("WaitTimeout,", e.FullyQualifiedErrorId));
    }

    [Fact]
    public async Task Stopping_Get_KlingTask_while_its_answer_stalls_returns_at_once()
    {
        await using var emulated = await Emulated.StartAsync();
        var task = await RunningTask(emulated);
        emulated.Emulator.Options.Faults.Add(FaultRule.StallAfterHeaders().ForTarget(FaultTarget.Query));
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);
        using var running = powershell.Start("param($Id) Get-KlingTask -TaskId $Id", new() { ["Id"] = task.TaskId });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!emulated.Emulator.Log.Entries.Any(l => l.Fault == "StallAfterHeaders"))
        {
            Assert.False(running.IsCompleted, "Get-KlingTask ended before its answer stalled");
            Assert.True(DateTime.UtcNow < deadline, "the query never reached the emulator");
            await Task.Delay(20);
        }
        await Task.Delay(200); // the headers and half the body are on their way

        var took = await running.StopAsync(TimeSpan.FromSeconds(30));

        Assert.True(took < TimeSpan.FromSeconds(3), $"stopping took {took}");
        Assert.IsType<PipelineStoppedException>(running.Result().Terminating);
    }
}
