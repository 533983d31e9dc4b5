using System.Text;
using KlingPS.Emulator;
using KlingPS.Tests.Support;

namespace KlingPS.Tests.Workflow;

/// <summary>
/// Downloads that cannot be fooled: a 206 for the wrong range, an encoded body, a body that never ends or is announced too
/// large, a name too long for a temporary file, a local failure, and temporary files of other downloads.
/// </summary>
public class DownloadSafetyTests
{
    private static async Task<KlingTask> FinishedTask(Emulated e, string source) =>
        await e.UntilFinalAsync(await e.Client.SubmitAsync(new ImageVideoRequest(KlingImage.FromFile(e.Png(source)))));

    private static List<RequestLogEntry> Downloads(Emulated e) => e.Emulator.Log.Entries.Where(l => l.Path.StartsWith("/files/", StringComparison.Ordinal)).ToList();

    private static string[] FilesIn(string folder) => Directory.Exists(folder) ? Directory.GetFiles(folder) : [];

    [Fact]
    public async Task A_resume_answered_with_another_range_starts_over_and_saves_the_video_whole()
    {
        await using var e = await Emulated.StartAsync(o => o.VideoPaddingBytes = 400_000);
        var task = await FinishedTask(e, "wave.png");
        e.Emulator.Options.Faults.Add(FaultRule.DropMidBody().ForTarget(FaultTarget.Download).AtMost(1));
        e.Emulator.Options.Faults.Add(FaultRule.WrongContentRange(servedFrom: 0).AtMost(1));
        var messages = new List<string>();

        var file = await new VideoDownloader(e.Client).DownloadAsync(task.Videos[0], Path.Combine(e.Folder, "clips", "wave.mp4"), false, null,
            new KlingCallOptions { Verbose = m => { lock (messages) messages.Add(m); } });

        Assert.Equal(e.Emulator.ExpectedVideoBytes(task.Videos[0].Id), File.ReadAllBytes(file.FullName));
        var downloads = Downloads(e);
        Assert.Equal(3, downloads.Count); // dropped, the wrong range, the whole video again
        Assert.Contains("WrongContentRange", downloads[1].Fault);
        Assert.Contains(messages, m => m.Contains("asked to resume from byte", StringComparison.Ordinal) && m.EndsWith("the server sent bytes from 0; starting over.", StringComparison.Ordinal));
        Assert.Equal([file.FullName], FilesIn(file.DirectoryName!));
    }

    [Fact]
    public async Task A_gzip_encoded_video_is_refused_after_one_request_and_nothing_is_written()
    {
        await using var e = await Emulated.StartAsync();
        var task = await FinishedTask(e, "cat.png");
        e.Emulator.Options.Faults.Add(FaultRule.GzipVideo(64L << 20));
        var clips = Path.Combine(e.Folder, "clips");

        var x = await Assert.ThrowsAsync<KlingApiException>(() => new VideoDownloader(e.Client).DownloadAsync(task.Videos[0], Path.Combine(clips, "cat.mp4"), false));

        Assert.Equal(KlingErrorKind.InvalidResponse, x.Kind);
        Assert.EndsWith("the server sent the video gzip-encoded; a video is saved only as the bytes it is, and this one was not saved.", x.Message);
        Assert.Single(Downloads(e));
        Assert.Empty(FilesIn(clips));
    }

    [Fact]
    public async Task A_body_that_never_ends_stops_at_the_size_limit_after_one_request_and_nothing_is_kept()
    {
        await using var e = await Emulated.StartAsync();
        var task = await FinishedTask(e, "cat.png");
        e.Emulator.Options.Faults.Add(FaultRule.EndlessBody().ForTarget(FaultTarget.Download));
        var clips = Path.Combine(e.Folder, "clips");
        var downloader = new VideoDownloader(e.Client) { MaximumBytes = 1 << 20 };

        var x = await Assert.ThrowsAsync<KlingApiException>(() => downloader.DownloadAsync(task.Videos[0], Path.Combine(clips, "cat.mp4"), false));

        Assert.Equal(KlingErrorKind.VideoTooLarge, x.Kind);
        Assert.EndsWith("the video is larger than the 1 MB limit; the download was stopped there and nothing was kept.", x.Message);
        Assert.Single(Downloads(e));
        Assert.Empty(FilesIn(clips));
    }

    [Fact]
    public async Task A_video_announced_larger_than_the_limit_is_refused_before_its_body_is_read()
    {
        await using var e = await Emulated.StartAsync(o => o.VideoPaddingBytes = 3 << 20);
        var task = await FinishedTask(e, "cat.png");
        var downloader = new VideoDownloader(e.Client) { MaximumBytes = 2 << 20 };

        var x = await Assert.ThrowsAsync<KlingApiException>(() => downloader.DownloadAsync(task.Videos[0], Path.Combine(e.Folder, "clips", "cat.mp4"), false));

        Assert.Equal(KlingErrorKind.VideoTooLarge, x.Kind);
        Assert.Contains($"({e.Emulator.ExpectedVideoBytes(task.Videos[0].Id).Length} bytes announced); nothing was downloaded.", x.Message);
        Assert.Single(Downloads(e));
        Assert.Empty(FilesIn(Path.Combine(e.Folder, "clips")));
    }

    [Theory]
    [InlineData("日", 83)] // 249 bytes of name: 253 with .mp4, at the limit only a final name may reach
    [InlineData("🎬", 62)] // 4 bytes and two UTF-16 units each: shortened, never split
    [InlineData("e\u0301", 83)] // e and a combining accent: 3 bytes, two units, one character
    public async Task A_long_unicode_name_gets_a_temporary_file_within_the_limit_and_is_saved(string character, int count)
    {
        await using var e = await Emulated.StartAsync();
        var task = await FinishedTask(e, "cat.png");
        var name = string.Concat(Enumerable.Repeat(character, count)) + ".mp4";
        Assert.InRange(FileNameLimit.SizeOf(name), 200, FileNameLimit.Maximum);
        var target = Path.Combine(e.Folder, "clips", name);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);

        using (var part = PartFile.TryTake(target, task.Videos[0].Id)!)
        {
            var partName = Path.GetFileName(part.Path);
            Assert.InRange(FileNameLimit.SizeOf(partName), 1, FileNameLimit.Maximum);
            Assert.StartsWith("." + string.Concat(Enumerable.Repeat(character, 3)), partName);
            Assert.Equal(partName, new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Encoding.UTF8.GetBytes(partName))); // no half character
        }
        var file = await new VideoDownloader(e.Client).DownloadAsync(task.Videos[0], target, false);

        Assert.Equal(e.Emulator.ExpectedVideoBytes(task.Videos[0].Id), File.ReadAllBytes(file.FullName));
        Assert.Equal([target], FilesIn(Path.GetDirectoryName(target)!));
    }

    [Fact]
    public async Task A_local_file_failure_is_a_LocalFile_error_not_a_network_one_and_is_not_retried()
    {
        await using var e = await Emulated.StartAsync();
        var task = await FinishedTask(e, "cat.png");
        var target = Directory.CreateDirectory(Path.Combine(e.Folder, "clips", "cat.mp4")).FullName; // a folder where the file should go

        var x = await Assert.ThrowsAsync<KlingApiException>(() => new VideoDownloader(e.Client).DownloadAsync(task.Videos[0], target, true));

        Assert.Equal(KlingErrorKind.LocalFile, x.Kind);
        Assert.False(x.IsRetryable);
        Assert.StartsWith(target + ": ", x.Message);
        Assert.Single(Downloads(e));
        Assert.Empty(FilesIn(Path.Combine(e.Folder, "clips")));
    }

    [Fact]
    public async Task Temporary_files_held_by_other_downloads_are_left_alone_and_stale_ones_are_removed()
    {
        await using var e = await Emulated.StartAsync();
        var task = await FinishedTask(e, "cat.png");
        var clips = Directory.CreateDirectory(Path.Combine(e.Folder, "clips")).FullName;
        var stale = Path.Combine(clips, ".cat.mp4.0badf00d.part"); // left by a killed run
        var written = Path.Combine(clips, ".cat.mp4.5eed1e55.part"); // another download writes it now
        File.WriteAllText(stale, "half a video");
        using var other = new FileStream(written, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        other.Write("the other half"u8);

        await new VideoDownloader(e.Client).DownloadAsync(task.Videos[0], Path.Combine(clips, "cat.mp4"), false);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(written));
        Assert.Equal(14, other.Length);
    }

    [Fact]
    public async Task A_second_download_of_the_same_video_waits_for_the_first_and_never_touches_its_temporary_file()
    {
        await using var e = await Emulated.StartAsync(o => o.VideoPaddingBytes = 400_000);
        var task = await FinishedTask(e, "cat.png");
        var target = Path.Combine(e.Folder, "clips", "cat.mp4");
        using var slow = new KlingClient(e.ClientOptions(configure: o => o.RequestTimeout = TimeSpan.FromSeconds(2)));
        e.Emulator.Options.Faults.Add(FaultRule.StallAfterHeaders().ForTarget(FaultTarget.Download).AtMost(1));
        var first = new VideoDownloader(slow).DownloadAsync(task.Videos[0], target, false);
        var partFiles = () => Directory.GetFiles(Path.GetDirectoryName(target)!, "*.part");
        await WaitUntil(() => partFiles().Length == 1 && new FileInfo(partFiles()[0]).Length > 0);
        var held = partFiles()[0];
        var messages = new List<string>();

        var second = new VideoDownloader(e.Client).DownloadAsync(task.Videos[0], target, false, null, new KlingCallOptions { Verbose = m => { lock (messages) messages.Add(m); } });
        await WaitUntil(() => { lock (messages) return messages.Count > 0; });
        Assert.True(File.Exists(held) && new FileInfo(held).Length > 0, "the first download's temporary file was touched");

        await first;
        var x = await Assert.ThrowsAsync<KlingApiException>(() => second); // without a journal, the saved file is in its way
        Assert.Equal(KlingErrorKind.FileExists, x.Kind);
        Assert.Contains(messages, m => m.Contains("another download of video", StringComparison.Ordinal));
        Assert.Equal(e.Emulator.ExpectedVideoBytes(task.Videos[0].Id), File.ReadAllBytes(target));
        Assert.Equal(2, Downloads(e).Count); // the stalled one and its resume; the second download sent nothing
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Emulated.WaitLimit, "the condition did not hold within the time limit");
            await Task.Delay(20);
        }
    }
}
