using System.Management.Automation;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>ConvertFrom-KlingCallback given what it cannot read: each mistake is an error that says what to give instead.</summary>
public class CallbackInputTests
{
    private const string Body = """{"task_id":"1","task_status":"processing"}""";

    [Fact]
    public async Task A_hashtable_piped_instead_of_WebhookData_is_an_error_that_says_how_to_pass_it()
    {
        using var powershell = await HostedPowerShell.OpenAsync();

        var run = await powershell.RunAsync("param($Body) @{ RequestBody = $Body; RequestHeader = @{} } | ConvertFrom-KlingCallback -SkipServiceCheck",
            new() { ["Body"] = Body });

        Assert.Empty(run.Output);
        var error = Assert.Single(run.Errors);
        Assert.StartsWith(ValidationErrorIds.CallbackBodyInvalid + ",", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.StartsWith("The body is a PowerShell object turned into text: pipe an object whose RequestBody property holds the body", error.ErrorDetails?.RecommendedAction);
    }

    [Fact]
    public async Task Headers_given_as_text_are_an_invalid_argument()
    {
        using var powershell = await HostedPowerShell.OpenAsync();

        var run = await powershell.RunAsync("param($Body) ConvertFrom-KlingCallback -Body $Body -RequestHeader 'webhook-id: msg_1' -SkipServiceCheck",
            new() { ["Body"] = Body });

        Assert.Empty(run.Output);
        var error = Assert.Single(run.Errors);
        Assert.Equal(("InvalidArgument", ErrorCategory.InvalidArgument), (error.FullyQualifiedErrorId.Split(',')[0], error.CategoryInfo.Category));
        Assert.Contains("give a hashtable, or an object with one property per header", error.Exception.Message);
    }

    [Fact]
    public async Task A_hashtable_of_headers_is_read_like_WebhookDatas_object()
    {
        using var powershell = await HostedPowerShell.OpenAsync();

        var run = await powershell.RunAsync("""
            param($Body)
            ConvertFrom-KlingCallback -Body $Body -RequestHeader @{ 'Webhook-Id' = 'msg_1' } -WebhookSecret (ConvertTo-SecureString s -AsPlainText -Force) -SkipServiceCheck
            """, new() { ["Body"] = Body });

        // The one header given was found, whatever its case: the error names only the two others.
        var error = Assert.Single(run.Errors);
        Assert.Equal("The callback is not signed: it has no webhook-timestamp, webhook-signature headers.", error.Exception.Message);
    }

    [Fact]
    public async Task A_secret_that_gives_no_key_stops_the_command_before_any_callback_is_read()
    {
        using var powershell = await HostedPowerShell.OpenAsync();

        var run = await powershell.RunAsync("""
            param($Body)
            $secret = ConvertTo-SecureString 'whsec_not Base64!' -AsPlainText -Force
            try { $Body, $Body | ConvertFrom-KlingCallback -SkipServiceCheck -WebhookSecret $secret -ErrorAction SilentlyContinue; 'went on' }
            catch { $_ }
            """, new() { ["Body"] = Body });

        // A terminating error: caught whatever -ErrorAction says, and nothing written before it.
        var error = Assert.IsType<ErrorRecord>(Assert.Single(run.Output).BaseObject);
        Assert.StartsWith(ValidationErrorIds.CallbackSecretInvalid + ",", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }
}
