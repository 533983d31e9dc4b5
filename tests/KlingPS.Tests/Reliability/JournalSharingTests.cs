using System.Text.Json;

namespace KlingPS.Tests.Reliability;

/// <summary>
/// New-KlingImageVideo -JournalPath J | Wait-KlingTask | Save-KlingVideo -JournalPath J opens the journal twice in one
/// process, and both write to it while the batch runs: neither may overwrite the other's records.
/// </summary>
[Collection(BatchBench.Collection)]
public class JournalSharingTests
{
    [Fact]
    public void Two_journals_open_on_one_file_as_in_one_pipeline_keep_every_record()
    {
        var folder = Directory.CreateTempSubdirectory("klingps-journal-").FullName;
        try
        {
            var path = Path.Combine(folder, "batch.journal");
            var videos = Enumerable.Range(0, 10).Select(i =>
            {
                var video = Path.Combine(folder, $"v{i}.mp4");
                File.WriteAllBytes(video, new byte[i + 1]);
                return video;
            }).ToList();

            using (var submitting = BatchJournal.Open(path))
            using (var saving = BatchJournal.Open(path))
            {
                for (var i = 0; i < 20; i++)
                {
                    submitting.RecordSubmitted("k" + i, new KlingTask("10" + i, KlingRoute.ImageToVideo, KlingTaskStatus.Submitted, null, null, null, null,
                        Array.Empty<KlingVideo>(), null, null));
                    if (i % 2 == 0) saving.RecordSaved("t" + i, "v" + i, videos[i / 2], new FileInfo(videos[i / 2]).Length);
                }
            }

            var lines = File.ReadAllLines(path);
            Assert.Equal(1 + 30, lines.Length); // the header, then every record
            Assert.All(lines, l => JsonDocument.Parse(l).Dispose());
            using var reread = BatchJournal.Open(path);
            for (var i = 0; i < 20; i++) Assert.Equal("10" + i, reread.Claim("k" + i, null, []).Task?.TaskId);
            for (var i = 0; i < 20; i += 2) Assert.Equal(videos[i / 2], reread.SavedPathOf("t" + i, "v" + i));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
