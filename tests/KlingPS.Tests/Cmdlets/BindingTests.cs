using KlingPS.Tests.Support;

namespace KlingPS.Tests.Cmdlets;

/// <summary>
/// What pipeline input becomes: path strings (by value), files from Get-ChildItem, and Import-Csv rows whose columns
/// bind by name. Checked where it matters, in what each request carried to the emulator.
/// </summary>
public class BindingTests
{
    [Fact]
    public async Task Path_strings_piped_in_submit_one_task_each_with_that_files_bytes()
    {
        await using var emulated = await Emulated.StartAsync();
        var images = new[] { emulated.Png("cat.png"), emulated.Png("dog.png", 700, 500), emulated.Png("owl.png", 800, 600) };
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync("param($Paths) $Paths | New-KlingImageVideo -Prompt 'waves' -Verbose", new() { ["Paths"] = images });

        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        Assert.Equal(images.Length, CreateRequest.All(emulated.Emulator).Count);
        var created = images.Select(image => CreateRequest.Of(emulated.Emulator, image)).ToList();
        Assert.All(created, c => Assert.Equal("waves", c.Field("prompt")));
        Assert.Equal(created.Select(c => c.Field("external_task_id")).Order(), run.Objects<KlingTask>().Select(t => t.ExternalTaskId).Order());
        // -Verbose says what each submission was.
        Assert.All(images, image => Assert.Contains(run.Verbose, v => v.Message.StartsWith("Submitting " + Path.GetFileName(image), StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Files_from_Get_ChildItem_submit_one_task_each_with_their_bytes_and_without_their_Mode_attribute()
    {
        await using var emulated = await Emulated.StartAsync();
        var images = new[] { emulated.Png("cat.png"), emulated.Png("dog.png", 700, 500) };
        emulated.Png("notes.txt"); // not matched by the filter: never sent
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        // A FileInfo has a Mode property ("-a---"); it names the file's attributes, not a Kling mode.
        var run = await powershell.RunAsync("param($Folder) Get-ChildItem $Folder -Filter *.png | New-KlingImageVideo -Prompt 'waves'",
            new() { ["Folder"] = emulated.Folder });

        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        Assert.Equal(images.Length, CreateRequest.All(emulated.Emulator).Count);
        var created = images.Select(image => CreateRequest.Of(emulated.Emulator, image)).ToList();
        Assert.All(created, c => Assert.True(c.Field("mode") is null or "std", "mode " + c.Field("mode")));
        Assert.Equal(created.Select(c => c.Field("external_task_id")).Order(), run.Objects<KlingTask>().Select(t => t.ExternalTaskId).Order());
    }

    [Fact]
    public async Task Each_Import_Csv_row_submits_its_own_image_prompt_mode_and_duration()
    {
        await using var emulated = await Emulated.StartAsync();
        var rows = new[]
        {
            (Path: emulated.Png("cat.png"), Prompt: "the cat blinks", Mode: "std", Duration: "5"),
            (Path: emulated.Png("dog.png", 700, 500), Prompt: "the dog runs", Mode: "pro", Duration: "10"),
            (Path: emulated.Png("owl.png", 800, 600), Prompt: "the owl turns its head", Mode: "pro", Duration: "5"),
        };
        var csv = Path.Combine(emulated.Folder, "jobs.csv");
        File.WriteAllLines(csv, rows.Select(r => $"\"{r.Path}\",\"{r.Prompt}\",\"{r.Mode}\",\"{r.Duration}\"").Prepend("Path,Prompt,Mode,Duration"));
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync("param($Csv) Import-Csv $Csv | New-KlingImageVideo", new() { ["Csv"] = csv });

        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        Assert.Equal(rows.Length, CreateRequest.All(emulated.Emulator).Count);
        foreach (var row in rows)
        {
            var create = CreateRequest.Of(emulated.Emulator, row.Path);
            Assert.Equal((row.Prompt, row.Mode, row.Duration), (create.Field("prompt"), create.Field("mode"), create.Field("duration")));
        }
        Assert.Equal(rows.Length, run.Objects<KlingTask>().Count);
    }

    [Fact]
    public async Task Blank_Import_Csv_cells_are_parameters_not_given_and_filled_cells_are_sent()
    {
        await using var emulated = await Emulated.StartAsync();
        var (cat, dog, owl, tail) = (emulated.Png("cat.png", 320, 320), emulated.Png("dog.png", 340, 320), emulated.Png("owl.png", 360, 320), emulated.Png("tail.png", 380, 320));
        var csv = Path.Combine(emulated.Folder, "jobs.csv");
        File.WriteAllLines(csv,
        [
            "Path,Prompt,NegativePrompt,Model,Mode,Duration,CfgScale,ImageTail,StaticMask,CallbackUrl,ExternalTaskId",
            $"\"{cat}\",,,,,,,,,,",
            $"\"{dog}\",\" \",\" \",\" \",\" \",\" \",\" \",\" \",\" \",\" \",\" \"",
            $"\"{owl}\",the owl turns,blur,kling-v2-6,pro,10,0.25,\"{tail}\",,,owl-row-3",
        ]);
        using var powershell = await HostedPowerShell.OpenAsync(emulated.Emulator.BaseUri);

        var run = await powershell.RunAsync("param($Csv) Import-Csv $Csv | New-KlingImageVideo", new() { ["Csv"] = csv });

        Assert.False(run.Threw || run.Errors.Count > 0, run.Describe());
        Assert.Equal(3, run.Objects<KlingTask>().Count);
        foreach (var blank in new[] { cat, dog })
        {
            var create = CreateRequest.Of(emulated.Emulator, blank);
            Assert.Equal(["external_task_id", "image"], create.Body.Select(p => p.Key).Order());
            Assert.StartsWith("klingps-", create.Field("external_task_id"));
        }
        var filled = CreateRequest.Of(emulated.Emulator, owl);
        Assert.Equal(("the owl turns", "blur", "kling-v2-6", "pro", "10", "0.25", "owl-row-3"),
            (filled.Field("prompt"), filled.Field("negative_prompt"), filled.Field("model_name"), filled.Field("mode"), filled.Field("duration"),
             filled.Field("cfg_scale"), filled.Field("external_task_id")));
        Assert.Equal(Convert.ToBase64String(File.ReadAllBytes(tail)), filled.Field("image_tail"));
    }
}
