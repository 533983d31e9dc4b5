using System.Management.Automation;
using KlingPS.Tests.Emulation;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>
/// ConvertFrom-KlingCallback -WebhookSecret in real PowerShell, on a callback the emulator signed: a good signature passes,
/// a bad, stale or absent one is a SecurityError found before anything is asked of the service. And -SkipServiceCheck,
/// which asks nothing: the task as posted, marked as such.
/// </summary>
public class CallbackSignatureTests
{
    private const string Convert = WebhookRunbook.Param + "\n" + WebhookRunbook.MakeWebhookData + """

        $WebhookData | ConvertFrom-KlingCallback -WebhookSecret (ConvertTo-SecureString $Secret -AsPlainText -Force) -Verbose
        """;

    /// <summary>An emulator signing with <see cref="WebhookRunbook.Secret"/>, and the final callback of a task that succeeded.</summary>
    private static async Task<(Emulated Emulated, CallbackReceiver.Received Final)> SignedCallbackAsync()
    {
        var e = await Emulated.StartAsync(o => o.CallbackSecret = WebhookRunbook.Secret);
        await using var receiver = await CallbackReceiver.StartAsync();
        await e.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromFile(e.Png("cat.png"))) { CallbackUrl = receiver.Url });
        var callbacks = await receiver.WaitForAsync(r => r.Any(c => WebhookRunbook.Status(c) == "succeed"));
        return (e, callbacks.Single(c => WebhookRunbook.Status(c) == "succeed"));
    }

    [Fact]
    public async Task A_callback_signed_with_the_secret_gives_the_confirmed_task_and_verbose_says_what_was_checked()
    {
        var (e, final) = await SignedCallbackAsync();
        await using var _ = e;
        using var powershell = await HostedPowerShell.OpenAsync(e.Emulator.BaseUri);

        var run = await powershell.RunAsync(Convert, WebhookRunbook.Parameters(final));

        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        var task = Assert.Single(run.Objects<KlingTask>());
        Assert.Equal((Assert.Single(e.Emulator.Tasks).TaskId, KlingTaskStatus.Succeeded), (task.TaskId, task.Status));
        var verbose = string.Join("\n", run.Verbose.Select(v => v.Message));
        Assert.Contains($"Callback {final.Headers["webhook-id"]}: signature verified", verbose);
        Assert.Contains($"The service confirms task {task.TaskId} on image2video: Succeeded.", verbose);
    }

    public static TheoryData<string, string> Refusals() => new()
    {
        { "bad", ValidationErrorIds.CallbackSignatureInvalid },
        { "other secret", ValidationErrorIds.CallbackSignatureInvalid },
        { "stale", ValidationErrorIds.CallbackTimestampOutOfRange },
        { "absent", ValidationErrorIds.CallbackSignatureMissing },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_bad_stale_or_absent_signature_is_a_security_error_and_the_service_is_not_asked(string signature, string errorId)
    {
        var (e, final) = await SignedCallbackAsync();
        await using var _ = e;
        using var powershell = await HostedPowerShell.OpenAsync(e.Emulator.BaseUri);
        var parameters = signature switch
        {
            // The body changed after signing: another external id.
            "bad" => WebhookRunbook.Parameters(WebhookRunbook.Forge(final.Body, b => b["task_info"]!["external_task_id"] = "x"), final.Headers),
            "stale" => WebhookRunbook.Parameters(final.Body, WebhookRunbook.SignedAt(final.Headers, final.Body, DateTimeOffset.UtcNow.AddMinutes(-6))),
            "absent" => WebhookRunbook.Parameters(final.Body, WebhookRunbook.Unsigned(final.Headers)),
            _ => WebhookRunbook.Parameters(final),
        };
        if (signature == "other secret") parameters["Secret"] = "whsec_" + System.Convert.ToBase64String(new byte[32]);
        e.Emulator.Log.Clear();

        var run = await powershell.RunAsync(Convert, parameters);

        Assert.False(run.Threw, run.Describe());
        Assert.Empty(run.Output);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Empty(e.Emulator.Log.Entries);
    }

    [Fact]
    public async Task A_good_signature_still_needs_the_service_to_know_the_task()
    {
        var (e, final) = await SignedCallbackAsync();
        await using var _ = e;
        using var powershell = await HostedPowerShell.OpenAsync(e.Emulator.BaseUri);
        var forged = WebhookRunbook.Forge(final.Body, b => b["task_id"] = "4242424242424242");

        var run = await powershell.RunAsync(Convert, WebhookRunbook.Parameters(forged, WebhookRunbook.SignedAt(final.Headers, forged, DateTimeOffset.UtcNow)));

        Assert.Empty(run.Output);
        Assert.StartsWith("KlingNotFound,", Assert.Single(run.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public async Task SkipServiceCheck_writes_the_posted_task_marked_unconfirmed_without_a_key_or_a_query()
    {
        var (e, final) = await SignedCallbackAsync();
        await using var _ = e;
        using var powershell = await HostedPowerShell.OpenAsync(); // not connected: no key anywhere
        e.Emulator.Log.Clear();

        var run = await powershell.RunAsync(WebhookRunbook.Param + "\n" + WebhookRunbook.MakeWebhookData + """

            $WebhookData | ConvertFrom-KlingCallback -SkipServiceCheck -WebhookSecret (ConvertTo-SecureString $Secret -AsPlainText -Force)
            # The same $WebhookData as JSON text, as PowerShell 7 runbooks may receive it.
            $WebhookData | ConvertTo-Json | ConvertFrom-KlingCallback -SkipServiceCheck -WebhookSecret (ConvertTo-SecureString $Secret -AsPlainText -Force)
            """, WebhookRunbook.Parameters(final));

        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        Assert.Equal(2, run.Output.Count);
        var emulated = Assert.Single(e.Emulator.Tasks);
        Assert.All(run.Output, written =>
        {
            var task = Assert.IsType<KlingTask>(written.BaseObject);
            Assert.Equal((emulated.TaskId, KlingRoute.ImageToVideo, KlingTaskStatus.Succeeded), (task.TaskId, task.Route, task.Status));
            Assert.Equal($"/files/{emulated.VideoId}.mp4", Assert.Single(task.Videos).Url.AbsolutePath);
            Assert.Equal(false, written.Properties["ConfirmedByService"].Value);
        });
        Assert.Empty(e.Emulator.Log.Entries);
    }
}
