using KlingPS.Emulator;

namespace KlingPS.Benchmark;

/// <summary>
/// Requests of one run, read from the emulator's log, and the bytes their bodies carried (the log's whole body sizes:
/// what the client uploaded, request headers not counted).
/// </summary>
internal sealed record RequestCounts(int Accepted, int Rejected, int Queries, int Lists, int Downloads, int Other, long BodyBytes)
{
    public static RequestCounts Of(IReadOnlyList<RequestLogEntry> log)
    {
        int accepted = 0, rejected = 0, queries = 0, lists = 0, downloads = 0, other = 0;
        foreach (var e in log)
        {
            if (e.Path.StartsWith("/files/", StringComparison.Ordinal) && e.Status is 200 or 206) downloads++;
            else if (e.Method == "POST" && e.Path == "/kling/v1/videos/image2video") { if (e.Status == 200) accepted++; else rejected++; }
            else if (e.Method == "GET" && e.Path == "/kling/v1/videos/image2video") lists++; // answered by the list, or by the website where there is none
            else if (e.Method == "GET" && e.Path.StartsWith("/kling/v1/videos/image2video/", StringComparison.Ordinal)) queries++;
            else other++;
        }
        return new RequestCounts(accepted, rejected, queries, lists, downloads, other, log.Sum(e => e.BodyBytes));
    }

    /// <summary>Every request beyond the one create that made each task and the one download of its video.</summary>
    public double ExtraPerImage(int images) => (double)(Rejected + Queries + Lists + Other) / images;

    /// <summary>Creates refused with 1303 per image: each one uploaded its image for nothing.</summary>
    public double RefusedPerImage(int images) => (double)Rejected / images;

    /// <summary>Bytes uploaded per image, as a multiple of the image file's size (its Base64 alone is 1.33x).</summary>
    public double UploadPerImage(int images, long imageBytes) => BodyBytes / (double)images / imageBytes;

    /// <summary>The figure, and how much of it is polling and how much refused creates (each of which uploaded its image).</summary>
    public string Describe(int images) =>
        $"{Tools.Number(ExtraPerImage(images))} ({Tools.Number((double)(Queries + Lists + Other) / images)} polls + {Tools.Number((double)Rejected / images)} refused creates)";

    public override string ToString() =>
        $"{Accepted} creates accepted, {Rejected} refused (1303), {Queries} single-task queries, {Lists} list calls, {Downloads} downloads, {Other} other; {Tools.MiB(BodyBytes)} uploaded";
}
