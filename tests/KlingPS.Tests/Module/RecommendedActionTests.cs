using KlingPS.Emulator;
using KlingPS.Tests.Support;
using static KlingPS.Infrastructure.Messages;

namespace KlingPS.Tests.Module;

/// <summary>The core says what happened; the module adds what to do, in the cmdlets' words, as the ErrorRecord's RecommendedAction.</summary>
public class RecommendedActionTests
{
    private static KlingTask Running(KlingRoute route) =>
        new("861309198188019719", route, KlingTaskStatus.Processing, null, null, null, null, Array.Empty<KlingVideo>(), "req-7", "cat.png");

    [Fact]
    public async Task A_submission_whose_outcome_stays_unknown_names_its_external_id_and_the_module_says_how_to_look_it_up()
    {
        await using var e = await Emulated.StartAsync();
        e.Emulator.Options.Faults.Add(FaultRule.DropAfterAccept().ForTarget(FaultTarget.Create));
        var request = new ImageVideoRequest(KlingImage.FromUrl(new Uri("https://example.com/cat.jpg"))) { ExternalTaskId = "job-lost" };

        var x = await Assert.ThrowsAsync<KlingApiException>(() => e.Client.SubmitAsync(request, new KlingCallOptions { MaximumRetryCount = 0 }));

        Assert.EndsWith(" The task may still exist under external id job-lost.", x.Message);
        Assert.DoesNotContain("Get-KlingTask", x.Message);
        Assert.True(x.OutcomeUnknown);
        Assert.Equal("Look for the task with Get-KlingTask -ExternalTaskId job-lost before submitting it again.", RecommendedAction(x));
    }

    [Fact]
    public void A_wait_that_timed_out_says_how_to_wait_again_and_still_quotes_the_request_id()
    {
        var timedOut = TaskErrors.WaitTimedOut(Running(KlingRoute.MultiImageToVideo));
        var x = new KlingApiException(timedOut.Kind, timedOut.Message) { Task = timedOut.Task, RequestId = "req-7" };

        Assert.Equal("Task 861309198188019719 (cat.png) was still Processing when the wait timed out.", x.Message);
        Assert.Equal("Wait for it again with Get-KlingTask -TaskId 861309198188019719 -Route MultiImageToVideo | Wait-KlingTask. Quote request id req-7 to CometAPI support.",
            RecommendedAction(x));
    }

    [Fact]
    public void A_service_error_only_quotes_its_request_id_and_a_local_one_adds_nothing()
    {
        Assert.Equal("Quote request id req-7 to CometAPI support.", RecommendedAction(TaskErrors.Failed(Running(KlingRoute.ImageToVideo))));
        Assert.Null(RecommendedAction(new KlingApiException(KlingErrorKind.Validation, "cat.png is a GIF image.")));
    }
}
