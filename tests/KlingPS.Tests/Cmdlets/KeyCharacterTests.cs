using System.Management.Automation;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>
/// A key with a line break (or any control character) inside would put a header of its own into every request: it is
/// refused where it enters (Connect-Kling, a command's -ApiKey), before any request, with an error that never shows it.
/// The COMETAPI_KEY variable, which is process-wide, is tested in Pester (tests/pester/Keys.Tests.ps1).
/// </summary>
public class KeyCharacterTests
{
    private const string Injected = "test-key\r\nX-Injected: yes";

    private static void AssertRefused(PowerShellRun run, string source)
    {
        // A terminating error of the command (it cannot go on without a key); the script itself goes on.
        var record = Assert.Single(run.Errors);
        Assert.StartsWith("InvalidApiKey", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, record.CategoryInfo.Category);
        Assert.Contains("control character (U+000D, a carriage return)", record.Exception.Message);
        Assert.Contains(source, record.ErrorDetails?.RecommendedAction);
        foreach (var text in new[] { record.Exception.Message, record.ErrorDetails?.RecommendedAction, record.ToString() })
        {
            Assert.DoesNotContain("test-key", text);
            Assert.DoesNotContain("X-Injected", text);
        }
    }

    [Fact]
    public async Task Connect_Kling_refuses_it_and_keeps_no_connection()
    {
        await using var emulated = await Emulated.StartAsync();
        using var powershell = await HostedPowerShell.OpenAsync();

        var run = await powershell.RunAsync("""
            param($Key, $BaseUri)
            Connect-Kling -ApiKey (ConvertTo-SecureString $Key -AsPlainText -Force) -BaseUri $BaseUri
            """, new() { ["Key"] = Injected, ["BaseUri"] = emulated.Emulator.BaseUri });
        var context = await powershell.RunAsync("Get-KlingContext");

        AssertRefused(run, "Connect-Kling -ApiKey");
        Assert.Empty(context.Output);
        Assert.Empty(emulated.Emulator.Log.Entries);
    }

    [Theory]
    [InlineData("Get-KlingTask -TaskId 123 -ApiKey $Secure")]
    [InlineData("New-KlingImageVideo -LiteralPath $Image -ApiKey $Secure")]
    [InlineData("New-KlingImageVideo -LiteralPath $Image -ApiKey $Secure -Wait")]
    public async Task A_commands_ApiKey_is_refused_before_any_request(string command)
    {
        await using var emulated = await Emulated.StartAsync();
        var image = emulated.Png("cat.png");
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync("param($Key, $Image) $Secure = ConvertTo-SecureString $Key -AsPlainText -Force; " + command,
            new() { ["Key"] = Injected, ["Image"] = image });

        AssertRefused(run, "-ApiKey parameter");
        Assert.Empty(emulated.Emulator.Log.Entries);
    }
}
