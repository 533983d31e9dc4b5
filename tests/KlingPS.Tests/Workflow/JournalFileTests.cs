using System.Text;

namespace KlingPS.Tests.Workflow;

/// <summary>
/// The journal is a file of its own kind: a header first, any other file refused and left byte for byte, nothing created
/// by opening, and reading that survives a BOM, CRLF line ends, a torn last line and a bad line in the middle.
/// </summary>
public sealed class JournalFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("klingps-journal-").FullName;

    private string PathOf(string name) => Path.Combine(_folder, name);

    private static void Submitted(BatchJournal journal, string key, string taskId) => journal.RecordSubmitted(key,
        new KlingTask(taskId, KlingRoute.ImageToVideo, KlingTaskStatus.Submitted, null, "ext-" + taskId, null, null, Array.Empty<KlingVideo>(), null, "/in/" + key + ".png"));

    /// <summary>The task the journal has for a key, as a re-run asks for it (which writes nothing when there is one).</summary>
    private static string? TaskOf(BatchJournal journal, string key)
    {
        var claim = journal.Claim(key, null, []);
        return claim.Step == ClaimStep.Known ? claim.Task!.TaskId : null;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string, byte[], string> NotJournals() => new()
    {
        { "notes.md", Encoding.UTF8.GetBytes("# Notes\n\n" + string.Concat(Enumerable.Repeat("- a line of notes about the shoot\n", 1000))), "is not a KlingPS batch journal" },
        { "bom-notes.txt", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("hello\r\nworld\r\n")], "is not a KlingPS batch journal" },
        { "one-line.txt", Encoding.UTF8.GetBytes("no end of line"), "is not a KlingPS batch journal" },
        { "array.json", Encoding.UTF8.GetBytes("[{\"journal\":\"KlingPS batch journal\"}]\n"), "is not a KlingPS batch journal" },
        { "blank-first.journal", Encoding.UTF8.GetBytes("\n{\"journal\":\"KlingPS batch journal\",\"format\":2,\"id\":\"x\"}\n"), "is not a KlingPS batch journal" },
        { "old.journal", Encoding.UTF8.GetBytes("{\"kind\":\"submitting\",\"key\":\"k1\",\"external_task_id\":\"klingps-1\"}\n"), "is a journal of KlingPS 0.1.0" },
        { "newer.journal", Encoding.UTF8.GetBytes("{\"journal\":\"KlingPS batch journal\",\"format\":3,\"id\":\"x\"}\n"), "is a KlingPS journal of format 3, which this version does not read" },
    };

    [Theory]
    [MemberData(nameof(NotJournals))]
    public void Any_other_file_is_refused_with_a_clear_error_and_left_byte_for_byte(string name, byte[] content, string says)
    {
        var path = PathOf(name);
        File.WriteAllBytes(path, content);
        var written = File.GetLastWriteTimeUtc(path);

        var x = Assert.Throws<KlingApiException>(() => BatchJournal.Open(path));

        Assert.Equal(KlingErrorKind.JournalInvalid, x.Kind);
        Assert.Equal($"{path} {says}", x.Message[..(path.Length + 1 + says.Length)]);
        Assert.EndsWith("it was left unchanged.", x.Message);
        Assert.Equal(content, File.ReadAllBytes(path));
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public void Opening_creates_nothing_and_the_first_record_creates_the_file_with_its_header()
    {
        var path = Path.Combine(_folder, "not-yet", "batch.journal");
        using (BatchJournal.Open(path)) { }
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));

        using (var journal = BatchJournal.Open(path)) Submitted(journal, "k1", "101");

        var lines = File.ReadAllLines(path);
        Assert.Equal(2, lines.Length);
        Assert.Matches("^\\{\"journal\":\"KlingPS batch journal\",\"format\":2,\"id\":\"[0-9a-f]{32}\",\"created\":\"[^\"]+\"\\}$", lines[0]);
        Assert.Equal("{\"kind\":\"submitted\",\"key\":\"k1\",\"task_id\":\"101\",\"route\":\"ImageToVideo\",\"external_task_id\":\"ext-101\",\"sources\":[\"/in/k1.png\"]}", lines[1]);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF })]
    public void An_empty_file_is_left_alone_when_opened_and_initialised_by_the_first_record(byte[] empty)
    {
        var path = PathOf("empty.journal");
        File.WriteAllBytes(path, empty);
        using (BatchJournal.Open(path)) { }
        Assert.Equal(empty, File.ReadAllBytes(path));

        using (var journal = BatchJournal.Open(path)) Submitted(journal, "k1", "101");

        using var reread = BatchJournal.Open(path);
        Assert.Equal("101", TaskOf(reread, "k1"));
        Assert.Equal(2, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void A_journal_saved_with_a_BOM_and_CRLF_keeps_every_record_and_every_byte_through_re_runs()
    {
        var path = PathOf("windows.journal");
        using (var journal = BatchJournal.Open(path))
        {
            for (var i = 0; i < 5; i++) Submitted(journal, "k" + i, "10" + i);
        }
        // What an editor on Windows makes of it: a BOM, and CRLF line ends.
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(File.ReadAllText(path).Replace("\n", "\r\n"))]);
        var converted = File.ReadAllBytes(path);

        for (var run = 0; run < 4; run++)
        {
            using var journal = BatchJournal.Open(path);
            for (var i = 0; i < 5; i++) Assert.Equal("10" + i, TaskOf(journal, "k" + i));
        }

        Assert.Equal(converted, File.ReadAllBytes(path)); // re-runs that find everything write nothing
        using (var journal = BatchJournal.Open(path)) Submitted(journal, "k5", "105");
        Assert.Equal(converted, File.ReadAllBytes(path)[..converted.Length]);
        using var reread = BatchJournal.Open(path);
        Assert.Equal("105", TaskOf(reread, "k5"));
    }

    [Fact]
    public void A_torn_last_line_is_skipped_the_next_record_starts_on_a_fresh_line_and_nothing_after_a_bad_line_is_lost()
    {
        var path = PathOf("torn.journal");
        using (var journal = BatchJournal.Open(path)) Submitted(journal, "k1", "101");
        const string torn = "{\"kind\":\"submitted\",\"key\":\"k2\",\"task_id\":\"1";
        File.AppendAllText(path, torn);

        using (var journal = BatchJournal.Open(path))
        {
            Assert.Equal("101", TaskOf(journal, "k1"));
            Assert.Null(journal.Claim("k2", "ext-2", []).Task); // the torn record did not count: k2 is claimed now
            Submitted(journal, "k2", "102");
            Submitted(journal, "k3", "103");
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(torn, lines[2]);
        Assert.StartsWith("{\"kind\":\"submitting\",\"key\":\"k2\",\"external_task_id\":\"ext-2\",", lines[3]);
        using var reread = BatchJournal.Open(path);
        Assert.Equal("102", TaskOf(reread, "k2"));
        Assert.Equal("103", TaskOf(reread, "k3"));
        Assert.Equal(6, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void A_journal_another_process_holds_is_waited_for_then_refused_with_an_error_that_names_it()
    {
        var path = PathOf("held.journal");
        using (var journal = BatchJournal.Open(path)) Submitted(journal, "k1", "101");
        var before = File.ReadAllBytes(path);

        using (var held = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var x = Assert.Throws<KlingApiException>(() => BatchJournal.Open(path, TimeSpan.FromMilliseconds(300)));
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(300), $"refused after {clock.ElapsedMilliseconds} ms");
            Assert.Equal(KlingErrorKind.JournalLocked, x.Kind);
            Assert.StartsWith(path + ": the journal stayed in use", x.Message);
        }

        Assert.Equal(before, File.ReadAllBytes(path));
    }
}
