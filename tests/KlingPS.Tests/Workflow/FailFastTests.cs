using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Workflow;

/// <summary>
/// An error every item would get (the key, the account, an IP whitelist) stops the batch: nothing more is sent, and each item
/// left gets an error of its own that says why. An error about one item (1103 for a model, a bad parameter) does not.
/// </summary>
public class FailFastTests
{
    private static void Submit(BatchSubmitter submitter, IEnumerable<string> files)
    {
        foreach (var file in files) submitter.Submit(new ImageVideoRequest(KlingImage.FromFile(file)) { Prompt = "waves" }, file);
        Assert.True(submitter.WhenAllDone().Wait(Emulated.WaitLimit), "the submissions did not end within the time limit");
    }

    private static (BatchSubmitter Submitter, List<BatchOutcome> Outcomes) Submitter(Emulated e, int throttle)
    {
        var outcomes = new List<BatchOutcome>();
        return (new BatchSubmitter(e.Client, throttle, null, null, o => { lock (outcomes) outcomes.Add(o); }, CancellationToken.None), outcomes);
    }

    [Theory]
    [InlineData(429, 1102, KlingErrorKind.Account)]
    [InlineData(429, 1100, KlingErrorKind.Account)]
    [InlineData(401, 1004, KlingErrorKind.Authentication)]
    [InlineData(403, 1304, KlingErrorKind.Permission)]
    public async Task An_account_key_or_whitelist_error_on_the_first_request_sends_nothing_more(int status, int code, KlingErrorKind kind)
    {
        await using var e = await Emulated.StartAsync();
        e.Emulator.Options.Faults.Add(FaultRule.Status(status, code).ForTarget(FaultTarget.Create));
        var files = Enumerable.Range(0, 10).Select(i => e.Png($"img{i}.png")).ToList();
        var (submitter, outcomes) = Submitter(e, throttle: 5);

        using (submitter) Submit(submitter, files);

        Assert.Equal(1, e.Creates);
        Assert.Equal(10, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal((BatchStep.Failed, kind, code), (o.Step, ((KlingApiException)o.Error!).Kind, ((KlingApiException)o.Error!).KlingCode)));
        Assert.Equal(files.Order(), outcomes.Select(o => (string)o.Item!).Order());
        var notSent = outcomes.Select(o => o.Error!.Message).Where(m => m.Contains(" was not sent: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(9, notSent.Count);
        var first = outcomes.Single(o => !o.Error!.Message.Contains(" was not sent: ", StringComparison.Ordinal)).Error!.Message;
        Assert.All(notSent, m => Assert.EndsWith("an earlier request of this batch failed with an error every request would get. " + first, m));
    }

    [Fact]
    public async Task Items_submitted_after_the_account_failed_mid_batch_are_not_sent()
    {
        await using var e = await Emulated.StartAsync(o => o.Concurrency = 20);
        var (submitter, outcomes) = Submitter(e, throttle: 1);
        using (submitter)
        {
            Submit(submitter, Enumerable.Range(0, 3).Select(i => e.Png($"early{i}.png")));
            e.Emulator.Options.Faults.Add(FaultRule.Status(429, 1102).ForTarget(FaultTarget.Create)); // the pack runs out
            Submit(submitter, Enumerable.Range(0, 7).Select(i => e.Png($"late{i}.png")));
        }

        Assert.Equal(3 + 1, e.Creates);
        Assert.Equal(3, outcomes.Count(o => o.Step == BatchStep.Submitted));
        Assert.Equal(6, outcomes.Count(o => o.Error?.Message.Contains(" was not sent: ", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task No_access_to_a_model_1103_is_that_items_answer_and_the_others_are_still_sent()
    {
        await using var e = await Emulated.StartAsync();
        e.Emulator.Options.Faults.Add(FaultRule.Status(403, 1103).ForTarget(FaultTarget.Create));
        var (submitter, outcomes) = Submitter(e, throttle: 5);

        using (submitter) Submit(submitter, Enumerable.Range(0, 4).Select(i => e.Png($"img{i}.png")));

        Assert.Equal(4, e.Creates);
        Assert.All(outcomes, o => Assert.Equal(1103, ((KlingApiException)o.Error!).KlingCode));
        Assert.DoesNotContain(outcomes, o => o.Error!.Message.Contains(" was not sent: ", StringComparison.Ordinal));
    }
}
