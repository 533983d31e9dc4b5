using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Workflow;

public class DownloadTests
{
    private static async Task<KlingTask> FinishedTask(Emulated e, string source) =>
        await e.UntilFinalAsync(await e.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromFile(e.Png(source)))));

    [Fact]
    public async Task A_video_is_saved_byte_identical_under_the_source_images_name_without_the_key()
    {
        await using var e = await Emulated.StartAsync();
        var task = await FinishedTask(e, "cat.png");
        var folder = Path.Combine(e.Folder, "clips");

        var file = await new VideoDownloader(e.Client).DownloadAsync(task.Videos[0], VideoFileNames.PathFor(folder, task, 0), force: false);

        Assert.Equal(Path.Combine(folder, "cat.mp4"), file.FullName);
        Assert.Equal(e.Emulator.ExpectedVideoBytes(task.Videos[0].Id), File.ReadAllBytes(file.FullName));
        var download = e.Emulator.Log.Entries.Single(l => l.Path.StartsWith("/files/", StringComparison.Ordinal));
        Assert.False(download.HadAuthorization);
        Assert.Single(Directory.GetFiles(folder)); // no temporary file left
    }

    [Fact]
    public async Task A_dropped_download_is_resumed_and_still_identical()
    {
        await using var e = await Emulated.StartAsync(o => o.VideoPaddingBytes = 300_000);
        e.Emulator.Options.Faults.Add(FaultRule.DropMidBody().ForTarget(FaultTarget.Download).OnFirst(1));
        var task = await FinishedTask(e, "wave.png");
        var messages = new List<string>();

        var file = await new VideoDownloader(e.Client).DownloadAsync(task.Videos[0], Path.Combine(e.Folder, "wave.mp4"), false, null,
            new KlingCallOptions { Verbose = messages.Add });

        Assert.Equal(e.Emulator.ExpectedVideoSha256(task.Videos[0].Id), Sha256(file.FullName));
        Assert.Equal(2, e.Emulator.Log.Entries.Count(l => l.Path.StartsWith("/files/", StringComparison.Ordinal)));
        Assert.Contains(messages, m => m.Contains("retry 1"));
    }

    [Fact]
    public async Task An_existing_file_is_not_replaced_without_force()
    {
        await using var e = await Emulated.StartAsync();
        var task = await FinishedTask(e, "dog.png");
        var target = Path.Combine(e.Folder, "dog.mp4");
        File.WriteAllText(target, "keep me");

        var x = await Assert.ThrowsAsync<KlingApiException>(() => new VideoDownloader(e.Client).DownloadAsync(task.Videos[0], target, force: false));
        Assert.Equal(target + " already exists.", x.Message);
        Assert.Equal("Use -Force to replace it.", KlingPS.Infrastructure.Messages.RecommendedAction(x));
        Assert.Equal("keep me", File.ReadAllText(target));

        await new VideoDownloader(e.Client).DownloadAsync(task.Videos[0], target, force: true);
        Assert.Equal(e.Emulator.ExpectedVideoBytes(task.Videos[0].Id), File.ReadAllBytes(target));
    }

    [Theory]
    [InlineData("../../etc/passwd", "passwd.mp4")]
    [InlineData("C:\\Windows\\evil.png", "evil.mp4")]
    [InlineData("https://cdn.example/a/b/sunset.jpg?sig=1", "sunset.mp4")]
    [InlineData(null, "123456.mp4")]
    // What .NET Framework's Path methods throw on (Windows PowerShell 5.1): | " < > and control characters.
    [InlineData("C:\\in\\a|b\"c<d>e.png", "a_b_c_d_e.mp4")]
    [InlineData("https://cdn.example/v/x%7Cy%22%3Cz%3E%01.jpg?sig=1", "x_y__z__.mp4")]
    [InlineData("/in/bell\u0007\tname.png", "bell__name.mp4")]
    [InlineData("/in/nul\0.png", "nul_.mp4")]
    [InlineData("/in/.png", "123456.mp4")]
    public void File_names_never_leave_the_target_folder(string? source, string expected)
    {
        var folder = Path.Combine(Path.GetTempPath(), "klingps-names");
        var task = new KlingTask("123456", KlingRoute.ImageToVideo, KlingTaskStatus.Succeeded, null, null, null, null, Array.Empty<KlingVideo>(), null, source);
        Assert.Equal(Path.Combine(folder, expected), VideoFileNames.PathFor(folder, task, 0));
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(stream)).ToLowerInvariant();
    }
}
