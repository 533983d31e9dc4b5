using System.Management.Automation;
using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>
/// One bad item among good ones: one non-terminating ErrorRecord that names it (error id, category, the item as its
/// target), while the other items still become tasks. A bad image is refused before anything is sent; a service
/// refusal comes from the emulator.
/// </summary>
public class ItemErrorTests
{
    private const string Script = "param($Paths) $Paths | New-KlingImageVideo -Prompt 'waves'";

    [Fact]
    public async Task An_image_too_small_is_one_error_for_that_path_and_is_never_sent_while_the_others_become_tasks()
    {
        await using var emulated = await Emulated.StartAsync();
        var good = new[] { emulated.Png("cat.png"), emulated.Png("dog.png", 700, 500) };
        var tiny = emulated.Png("tiny.png", 200, 200);
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync(Script, new() { ["Paths"] = new[] { good[0], tiny, good[1] } });

        Assert.False(run.Threw, run.Describe());
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("ImageTooSmall,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal(tiny, error.TargetObject);
        Assert.Contains("tiny.png", error.Exception.Message);

        Assert.DoesNotContain(CreateRequest.All(emulated.Emulator), c => c.Carries(tiny));
        var created = good.Select(image => CreateRequest.Of(emulated.Emulator, image).Field("external_task_id")).Order();
        Assert.Equal(created, run.Objects<KlingTask>().Select(t => t.ExternalTaskId).Order());
    }

    [Fact]
    public async Task A_create_the_service_refuses_is_one_error_for_that_path_while_the_others_become_tasks()
    {
        const string refusal = "duration is invalid for this model";
        await using var emulated = await Emulated.StartAsync(o =>
            o.Faults.Add(FaultRule.Status(400, klingCode: 1201, message: refusal).ForTarget(FaultTarget.Create).OnFirst(1)));
        var images = new[] { emulated.Png("cat.png"), emulated.Png("dog.png", 700, 500), emulated.Png("owl.png", 800, 600) };
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync(Script, new() { ["Paths"] = images });

        Assert.False(run.Threw, run.Describe());
        // Which image met the fault depends on which create arrived first: the emulator's log says.
        var creates = CreateRequest.All(emulated.Emulator);
        var refused = Assert.Single(creates, c => c.Status == 400);
        var refusedImage = Assert.Single(images, refused.Carries);
        Assert.Single(creates, c => c.Carries(refusedImage)); // a 400 is not retried

        var error = Assert.Single(run.Errors);
        Assert.StartsWith("KlingInvalidRequest,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(refusedImage, error.TargetObject);
        var exception = Assert.IsType<KlingApiException>(error.Exception);
        Assert.Equal((1201, refusal), (exception.KlingCode, exception.ServiceMessage));

        var accepted = images.Where(i => i != refusedImage).Select(image => CreateRequest.Of(emulated.Emulator, image)).ToList();
        Assert.All(accepted, c => Assert.Equal(200, c.Status));
        Assert.Equal(accepted.Select(c => c.Field("external_task_id")).Order(), run.Objects<KlingTask>().Select(t => t.ExternalTaskId).Order());
    }
}
