using System.Management.Automation;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>A wrong key over a folder of images: one request, not one upload per image, and one ErrorRecord per image.</summary>
public class WrongKeyTests
{
    [Fact]
    public async Task A_wrong_key_over_20_images_makes_one_request_and_20_errors_each_saying_why()
    {
        await using var emulated = await Emulated.StartAsync();
        var images = Enumerable.Range(0, 20).Select(i => emulated.Png($"img{i:00}.png")).ToList();
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);
        emulated.Emulator.Log.Clear();

        var run = await powershell.RunAsync(
            "param($Folder) Get-ChildItem $Folder/*.png | New-KlingImageVideo -Prompt 'waves' -ApiKey (ConvertTo-SecureString 'sk-wrong-7777' -AsPlainText -Force)",
            new() { ["Folder"] = emulated.Folder });

        Assert.False(run.Threw, run.Describe());
        Assert.Empty(run.Output);
        var request = Assert.Single(emulated.Emulator.Log.Entries);
        Assert.Equal(("POST", 401), (request.Method, request.Status));
        Assert.Equal(20, run.Errors.Count);
        Assert.All(run.Errors, e =>
        {
            Assert.StartsWith("KlingAuthentication,", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, e.CategoryInfo.Category);
        });
        Assert.Equal(images.Order(), run.Errors.Select(e => Path.GetFullPath(e.TargetObject.ToString()!)).Order());
        var notSent = run.Errors.Where(e => e.Exception.Message.Contains(" was not sent: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(19, notSent.Count);
        Assert.All(notSent, e => Assert.Contains("Invalid token", e.Exception.Message));
        Assert.DoesNotContain(run.Errors, e => e.ToString().Contains("sk-wrong", StringComparison.Ordinal));
    }
}
