using System.Management.Automation;
using System.Text;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>-JournalPath in real PowerShell: a file that is not a journal is refused and kept; -WhatIf creates no journal.</summary>
public class JournalCmdletTests
{
    [Theory]
    [InlineData("New-KlingImageVideo -LiteralPath $Image -JournalPath $Journal -WhatIf")]
    [InlineData("New-KlingImageVideo -LiteralPath $Image -JournalPath $Journal")]
    [InlineData("New-KlingImageVideo -LiteralPath $Image | Wait-KlingTask -PollIntervalSec 1 | Save-KlingVideo -Path $Clips -JournalPath $Journal")]
    public async Task A_file_that_is_not_a_journal_ends_the_command_with_JournalInvalid_and_is_left_byte_for_byte(string command)
    {
        await using var emulated = await Emulated.StartAsync();
        var image = emulated.Png("cat.png");
        var notes = Path.Combine(emulated.Folder, "notes.md");
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("Shoot notes: harbour at dawn, slow push-in.\n", 800)));
        File.WriteAllBytes(notes, content);
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        // The terminating error, caught as a script catches it.
        var run = await powershell.RunAsync("param($Image, $Journal, $Clips) try { " + command + " } catch { $_ }",
            new() { ["Image"] = image, ["Journal"] = notes, ["Clips"] = Path.Combine(emulated.Folder, "clips") });

        Assert.False(run.Threw, run.Describe());
        var error = Assert.Single(run.Objects<ErrorRecord>());
        Assert.StartsWith("JournalInvalid,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal(notes + " is not a KlingPS batch journal (it does not start with a journal header); it was left unchanged.", error.Exception.Message);
        Assert.StartsWith("Give -JournalPath this batch's own journal", error.ErrorDetails?.RecommendedAction);
        Assert.Equal(content, File.ReadAllBytes(notes));
        Assert.Empty(emulated.Emulator.Log.Entries); // every command of a pipeline begins before the first item: nothing was sent
        Assert.False(Directory.Exists(Path.Combine(emulated.Folder, "clips")));
    }

    [Fact]
    public async Task WhatIf_creates_no_journal_and_the_same_command_without_it_does()
    {
        await using var emulated = await Emulated.StartAsync();
        var image = emulated.Png("cat.png");
        var journal = Path.Combine(emulated.Folder, "jobs", "batch.journal");
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);
        var parameters = new Dictionary<string, object?> { ["Image"] = image, ["Journal"] = journal };

        var whatIf = await powershell.RunAsync("param($Image, $Journal) New-KlingImageVideo -LiteralPath $Image -JournalPath $Journal -WhatIf", parameters);

        Assert.False(whatIf.Threw || whatIf.Errors.Count > 0, whatIf.Describe());
        Assert.False(Directory.Exists(Path.GetDirectoryName(journal)));
        Assert.Empty(emulated.Emulator.Log.Entries);

        var sent = await powershell.RunAsync("param($Image, $Journal) New-KlingImageVideo -LiteralPath $Image -JournalPath $Journal", parameters);
        Assert.False(sent.Threw || sent.Errors.Count > 0, sent.Describe());
        Assert.StartsWith("{\"journal\":\"KlingPS batch journal\",\"format\":2,", File.ReadLines(journal).First());
    }
}
