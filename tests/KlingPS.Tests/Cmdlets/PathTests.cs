using System.Diagnostics;
using System.Management.Automation;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>
/// Which files a submission takes: files piped in by their literal path whatever their names hold, -Path as a wildcard only
/// when typed as one (a pattern that matches nothing is an error), folders and pipes refused. Checked in what reached the
/// emulator.
/// </summary>
public class PathTests
{
    /// <summary>Names that a wildcard reading gets wrong ([ ]), that need quoting or escaping (backtick, spaces), and non-ASCII.</summary>
    private static readonly string[] OddNames = ["owl [1].png", "cat (copy).png", "tick`mark.png", "two  spaces.png", "снег.png"];

    /// <summary>
    /// The odd names in a folder whose own name is a wildcard pattern; no two files alike, so each request says which file it
    /// carries, and small, so that three of them fit in the one request body the emulator's log keeps.
    /// </summary>
    private static string[] OddFiles(Emulated emulated)
    {
        Directory.CreateDirectory(Path.Combine(emulated.Folder, "my [clips]"));
        return OddNames.Select((name, i) => emulated.Png(Path.Combine("my [clips]", name), 320 + 16 * i, 320)).ToArray();
    }

    [Fact]
    public async Task Files_piped_from_Get_ChildItem_submit_each_its_own_bytes_whatever_their_names_hold()
    {
        await using var emulated = await Emulated.StartAsync();
        var files = OddFiles(emulated);
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync("param($Folder) Get-ChildItem -LiteralPath $Folder | New-KlingImageVideo -Prompt 'waves'",
            new() { ["Folder"] = Path.GetDirectoryName(files[0]) });

        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        Assert.Equal(files.Length, CreateRequest.All(emulated.Emulator).Count);
        var tasks = run.Objects<KlingTask>();
        foreach (var file in files)
        {
            var create = CreateRequest.Of(emulated.Emulator, file);
            Assert.Equal(file, Assert.Single(tasks, t => t.ExternalTaskId == create.Field("external_task_id")).Source);
        }
    }

    [Fact]
    public async Task Files_piped_into_New_KlingMultiImageVideo_make_one_task_of_their_bytes_in_order()
    {
        await using var emulated = await Emulated.StartAsync();
        var files = OddFiles(emulated).Take(3).ToArray();
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync("param($Files) Get-Item -LiteralPath $Files | New-KlingMultiImageVideo -Prompt 'pan'",
            new() { ["Files"] = files });

        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        var create = Assert.Single(CreateRequest.All(emulated.Emulator));
        var sent = create.Body["image_list"]!.AsArray().Select(i => i!["image"]!.ToString());
        Assert.Equal(files.Select(f => Convert.ToBase64String(File.ReadAllBytes(f))), sent);
        Assert.Equal(KlingRoute.MultiImageToVideo, Assert.Single(run.Objects<KlingTask>()).Route);
    }

    [Fact]
    public async Task A_typed_Path_is_a_wildcard_its_escapes_are_honoured_and_a_pattern_that_matches_nothing_is_an_error_for_that_pattern()
    {
        await using var emulated = await Emulated.StartAsync();
        var owl = OddFiles(emulated)[0];
        var folder = Path.GetDirectoryName(owl)!;
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);
        var nothing = Path.Combine(emulated.Folder, "*.gif");
        // Typed as is, "owl [1].png" is a pattern: [1] matches the character 1, so it names "owl 1.png", which does not exist.
        var unescaped = Path.Combine(WildcardPattern.Escape(folder), "owl [1].png");
        var escaped = WildcardPattern.Escape(owl);

        var run = await powershell.RunAsync("param($Paths) New-KlingImageVideo -Path $Paths -Prompt 'waves'",
            new() { ["Paths"] = new[] { nothing, unescaped, escaped } });

        Assert.False(run.Threw, run.Describe());
        Assert.Equal([nothing, unescaped], run.Errors.Select(e => e.TargetObject));
        Assert.All(run.Errors, e =>
        {
            Assert.StartsWith("PathNotFound,", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category);
            Assert.Equal($"No file matches {e.TargetObject}.", e.Exception.Message);
        });
        CreateRequest.Of(emulated.Emulator, owl);
        Assert.Single(CreateRequest.All(emulated.Emulator));
        Assert.Equal(owl, Assert.Single(run.Objects<KlingTask>()).Source);
    }

    [Fact]
    public async Task A_folder_typed_or_piped_is_an_error_and_nothing_is_sent()
    {
        await using var emulated = await Emulated.StartAsync();
        var folder = Path.GetDirectoryName(OddFiles(emulated)[0])!;
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync("param($Folder) New-KlingImageVideo -LiteralPath $Folder; Get-Item -LiteralPath $Folder | New-KlingImageVideo",
            new() { ["Folder"] = folder });

        Assert.False(run.Threw, run.Describe());
        Assert.Equal(2, run.Errors.Count);
        Assert.All(run.Errors, e => Assert.StartsWith("ImageIsDirectory,", e.FullyQualifiedErrorId));
        Assert.Empty(emulated.Emulator.Log.Entries);
    }

    [Fact]
    public async Task A_pipe_among_the_files_is_refused_at_once_without_being_opened_and_the_others_are_sent()
    {
        // Windows has no FIFOs that a folder listing returns; there, opening a file never waits for a writer.
        if (OperatingSystem.IsWindows()) return;
        await using var emulated = await Emulated.StartAsync();
        var image = emulated.Png("cat.png");
        var fifo = Path.Combine(emulated.Folder, "dog.png");
        using (var mkfifo = Process.Start("mkfifo", [fifo])!) await mkfifo.WaitForExitAsync();
        Assert.True(File.Exists(fifo), "mkfifo made no pipe");
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        // Opening the pipe would wait for a writer that never comes: the script would hit its time limit.
        var run = await powershell.RunAsync("param($Folder) Get-ChildItem -LiteralPath $Folder | New-KlingImageVideo -Prompt 'waves'",
            new() { ["Folder"] = emulated.Folder }, TimeSpan.FromSeconds(30));

        Assert.False(run.Threw, run.Describe());
        var error = Assert.Single(run.Errors);
        Assert.StartsWith("ImageEmpty,", error.FullyQualifiedErrorId);
        Assert.Equal("dog.png is empty (0 bytes), or is not a regular file (a pipe or a device).", error.Exception.Message);
        CreateRequest.Of(emulated.Emulator, image);
        Assert.Single(CreateRequest.All(emulated.Emulator));
    }
}
