using System.Management.Automation;
using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>
/// Answers of the service that misbehave, as a user meets them: each is an ErrorRecord with an id of its own, for the
/// item it concerns, with the module's advice; nothing else is harmed.
/// </summary>
public class MisbehavingAnswerTests
{
    [Fact]
    public async Task An_answer_that_inflates_past_the_cap_is_one_KlingAnswerTooLarge_error_with_advice()
    {
        await using var emulated = await Emulated.StartAsync();
        var task = await emulated.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromUrl(new Uri("https://example.com/cat.jpg"))));
        emulated.Emulator.Options.Faults.Add(FaultRule.OversizedAnswer(256L << 20, gzip: true).ForTarget(FaultTarget.Query));
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync("param($Id) Get-KlingTask -TaskId $Id -MaximumRetryCount 0", new() { ["Id"] = task.TaskId });

        Assert.False(run.Threw, run.Describe());
        Assert.Empty(run.Output);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("KlingAnswerTooLarge,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
        Assert.Equal(task.TaskId, error.TargetObject);
        Assert.Contains("past 16 MiB", error.Exception.Message);
        Assert.Contains("-BaseUri", error.ErrorDetails?.RecommendedAction);
    }
}
