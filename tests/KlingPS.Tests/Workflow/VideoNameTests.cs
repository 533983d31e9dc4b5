namespace KlingPS.Tests.Workflow;

/// <summary>What a video is named: after its images, the images the journal recorded, the user's external id or the task id; within the file-name limit; never a Windows device name.</summary>
public class VideoNameTests
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "klingps-names");

    private static KlingTask Task(string? externalId = null, params string[] sources) =>
        new KlingTask("2032273942220931072", KlingRoute.ImageToVideo, KlingTaskStatus.Succeeded, null, externalId, null, null, [], null, null)
            .WithSources(sources);

    private static string NameOf(KlingTask task, int index = 0, IReadOnlyList<string>? recorded = null) =>
        Path.GetFileName(VideoFileNames.PathFor(Folder, task, index, recorded));

    [Fact]
    public void A_video_is_named_after_its_images_else_the_recorded_ones_else_the_users_external_id_else_the_task_id()
    {
        Assert.Equal("cat.mp4", NameOf(Task(null, "/in/cat.png")));
        Assert.Equal("cat+dog+owl.mp4", NameOf(Task(null, "/in/cat.png", "/in/dog.jpg", "https://cdn.example/owl.png?sig=1")));
        Assert.Equal("cat-2.mp4", NameOf(Task(null, "/in/cat.png"), index: 1));
        Assert.Equal("cat+dog.mp4", NameOf(Task("my-job"), recorded: ["/in/cat.png", "/in/dog.png"]));
        Assert.Equal("my-job.mp4", NameOf(Task("my-job")));
        Assert.Equal("2032273942220931072.mp4", NameOf(Task("klingps-0123456789abcdef0123456789abcdef")));
        Assert.Equal("2032273942220931072.mp4", NameOf(Task()));
    }

    [Fact]
    public void The_other_name_of_a_video_adds_its_task_id()
    {
        Assert.Equal("cat-2032273942220931072.mp4", Path.GetFileName(VideoFileNames.AlternativePathFor(Folder, Task(null, "/in/cat.png"), 0)));
        Assert.Equal("cat-2032273942220931072-2.mp4", Path.GetFileName(VideoFileNames.AlternativePathFor(Folder, Task(null, "/in/cat.png"), 1)));
    }

    [Theory]
    [InlineData("/in/con.png", "con_.mp4")]
    [InlineData("/in/LPT1.jpg", "LPT1_.mp4")]
    [InlineData("/in/aux.backup.png", "aux_.backup.mp4")]
    [InlineData("/in/nul .png", "nul_.mp4")]
    [InlineData("/in/com9", "com9_.mp4")]
    [InlineData("/in/console.png", "console.mp4")]
    [InlineData("/in/com0.png", "com0.mp4")]
    public void Windows_device_names_are_never_used(string source, string expected)
    {
        Assert.Equal(expected, NameOf(Task(null, source)));
    }

    [Theory]
    [InlineData("日")]
    [InlineData("🎬")]
    [InlineData("e\u0301")]
    [InlineData("a")]
    public void Names_fit_the_file_name_limit_without_splitting_a_character(string character)
    {
        var task = Task(null, "/in/" + string.Concat(Enumerable.Repeat(character, 300)) + ".png");

        foreach (var name in new[] { NameOf(task), NameOf(task, 1), Path.GetFileName(VideoFileNames.AlternativePathFor(Folder, task, 1)) })
        {
            Assert.InRange(FileNameLimit.SizeOf(name), FileNameLimit.Maximum - 4 * 3, FileNameLimit.Maximum);
            var end = name.IndexOf('-') > 0 ? name.IndexOf('-') : name.LastIndexOf('.');
            var stem = name[..end];
            Assert.Equal(string.Concat(Enumerable.Repeat(character, stem.Length / character.Length)), stem); // whole characters only
        }
        Assert.EndsWith("-2032273942220931072-2.mp4", Path.GetFileName(VideoFileNames.AlternativePathFor(Folder, task, 1)));
    }
}
