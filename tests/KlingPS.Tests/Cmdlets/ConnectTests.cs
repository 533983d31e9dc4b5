using System.Management.Automation;
using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>
/// Connect-Kling checks the key with one query the emulator answers as the service does (404 1203 for a working key, a
/// gateway 401 for a wrong one), keeps the connection only when the key works, and says what to do when it does not.
/// </summary>
public class ConnectTests
{
    private const string Connect = "param($Key, $BaseUri) Connect-Kling -ApiKey (ConvertTo-SecureString $Key -AsPlainText -Force) -BaseUri $BaseUri -RetryIntervalSec 1";

    private static Dictionary<string, object?> With(string key, Uri baseUri) => new() { ["Key"] = key, ["BaseUri"] = baseUri };

    [Fact]
    public async Task A_working_key_is_checked_with_one_query_and_kept()
    {
        await using var emulated = await Emulated.StartAsync();
        using var powershell = await HostedPowerShell.OpenAsync();

        var run = await powershell.RunAsync(Connect + " -PassThru; Get-KlingContext", With(Emulated.Key, emulated.Emulator.BaseUri));

        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        Assert.Equal(2, run.Objects<KlingContextInfo>().Count);
        var check = Assert.Single(emulated.Emulator.Log.Entries);
        Assert.Equal(("GET", 404), (check.Method, check.Status));
    }

    [Fact]
    public async Task A_wrong_key_is_an_authentication_error_at_once_with_its_request_id_and_advice_and_is_not_kept()
    {
        await using var emulated = await Emulated.StartAsync();
        using var powershell = await HostedPowerShell.OpenAsync();

        var run = await powershell.RunAsync(Connect + "; Get-KlingContext", With("wrong-key-0000", emulated.Emulator.BaseUri));

        Assert.Empty(run.Output);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("KlingAuthentication,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        var exception = Assert.IsType<KlingApiException>(error.Exception);
        Assert.Equal("Invalid token", exception.ServiceMessage);
        Assert.Matches("^[0-9]{17}[0-9a-f]{8}$", exception.RequestId);
        Assert.EndsWith($": Invalid token [request id {exception.RequestId}]", exception.Message);
        Assert.StartsWith("Check the key: Get-KlingContext shows its last four characters and where it came from", error.ErrorDetails.RecommendedAction);
        Assert.EndsWith($"Quote request id {exception.RequestId} to CometAPI support.", error.ErrorDetails.RecommendedAction);
        var check = Assert.Single(emulated.Emulator.Log.Entries);
        Assert.Equal(401, check.Status);
    }

    [Fact]
    public async Task SkipKeyCheck_connects_without_a_request_and_the_wrong_key_fails_where_it_is_used()
    {
        await using var emulated = await Emulated.StartAsync();
        var image = emulated.Png("cat.png");
        using var powershell = await HostedPowerShell.OpenAsync();

        var connected = await powershell.RunAsync(Connect + " -SkipKeyCheck; Get-KlingContext", With("wrong-key-0000", emulated.Emulator.BaseUri));

        Assert.False(connected.Threw || connected.Errors.Count > 0, connected.Describe());
        Assert.Equal("****0000", Assert.Single(connected.Objects<KlingContextInfo>()).ApiKeyHint);
        Assert.Empty(emulated.Emulator.Log.Entries);
        var used = await powershell.RunAsync("param($Image) New-KlingImageVideo -LiteralPath $Image", new() { ["Image"] = image });
        Assert.StartsWith("KlingAuthentication,", Assert.Single(used.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public async Task A_service_that_cannot_be_reached_fails_the_connect_with_advice_to_check_the_network_or_skip_the_check()
    {
        using var powershell = await HostedPowerShell.OpenAsync();

        // Port 1 of loopback: nothing listens there, so the connection is refused at once.
        var run = await powershell.RunAsync(Connect + " -MaximumRetryCount 0; Get-KlingContext", With(Emulated.Key, new Uri("http://127.0.0.1:1/")));

        Assert.Empty(run.Output);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("KlingNetwork,", error.FullyQualifiedErrorId);
        Assert.EndsWith(" add -SkipKeyCheck.", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public async Task An_account_that_cannot_pay_is_connected_with_a_warning_that_says_so()
    {
        await using var emulated = await Emulated.StartAsync(o =>
            o.Faults.Add(FaultRule.Status(429, klingCode: 1102, message: "resource pack exhausted").ForTarget(FaultTarget.Query)));
        using var powershell = await HostedPowerShell.OpenAsync();

        var run = await powershell.RunAsync(Connect + "; Get-KlingContext", With(Emulated.Key, emulated.Emulator.BaseUri));

        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        Assert.Single(run.Objects<KlingContextInfo>());
        var warning = Assert.Single(run.Warnings).Message;
        Assert.Contains("resource pack exhausted", warning);
        Assert.Contains("top it up; trying again will not help.", warning);
    }

    [Fact]
    public async Task A_commands_own_key_keeps_the_connections_timeout_and_retries_and_Get_KlingContext_shows_them()
    {
        await using var emulated = await Emulated.StartAsync(o => o.GenerationTime = TimeSpan.FromMinutes(2));
        var task = await emulated.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromUrl(new Uri("https://example.com/cat.jpg"))));
        // Only the command's own key works from here on: an answer proves that key was the one sent.
        emulated.Emulator.Options.ApiKeys.Add("own-key-1234");
        emulated.Emulator.Options.ApiKeys.Remove(Emulated.Key);
        using var powershell = await HostedPowerShell.OpenAsync();
        var connected = await powershell.RunAsync(Connect + " -SkipKeyCheck -RequestTimeoutSec 2 -MaximumRetryCount 0; Get-KlingContext",
            With(Emulated.Key, emulated.Emulator.BaseUri));
        Assert.False(connected.Threw || connected.Errors.Count > 0, connected.Describe());
        var context = Assert.Single(connected.Objects<KlingContextInfo>());
        Assert.Equal((2, 0, 1), (context.RequestTimeoutSec, context.MaximumRetryCount, context.RetryIntervalSec));

        const string Get = "param($Id) Get-KlingTask -TaskId $Id -ApiKey (ConvertTo-SecureString 'own-key-1234' -AsPlainText -Force)";
        var answered = await powershell.RunAsync(Get, new() { ["Id"] = task.TaskId });
        Assert.False(answered.Threw || answered.Errors.Count > 0, answered.Describe());
        Assert.Equal(task.TaskId, Assert.Single(answered.Objects<KlingTask>()).TaskId);

        // With its own defaults (100 s, 4 retries) the command would outlast the run's limit of 60 s.
        emulated.Emulator.Options.Faults.Add(FaultRule.StallAfterHeaders().ForTarget(FaultTarget.Query));
        var stalled = await powershell.RunAsync(Get, new() { ["Id"] = task.TaskId }, TimeSpan.FromSeconds(60));
        var error = Assert.Single(stalled.Errors);
        Assert.StartsWith("KlingTimeout,", error.FullyQualifiedErrorId);
        Assert.Contains("no answer within 2 s", error.Exception.Message);
        Assert.Single(emulated.Emulator.Log.Entries, l => l.Fault == "StallAfterHeaders");
    }
}
