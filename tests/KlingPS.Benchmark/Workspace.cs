using System.IO.Compression;
using KlingPS.Tests.Support;

namespace KlingPS.Benchmark;

/// <summary>A temporary folder for the run's images and videos, deleted at the end.</summary>
internal sealed class Workspace : IDisposable
{
    public Workspace() => Root = Directory.CreateTempSubdirectory("klingps-bench-").FullName;

    public string Root { get; }

    /// <summary>A new empty folder inside the workspace.</summary>
    public string Folder(string name) => Directory.CreateDirectory(Path.Combine(Root, name)).FullName;

    /// <summary>Real 640x480 PNGs in a folder of their own, one file per image as Get-ChildItem would find them.</summary>
    public IReadOnlyList<string> Stills(string folderName, int count)
    {
        var folder = Folder(folderName);
        var png = TestImages.Png(640, 480);
        return Enumerable.Range(1, count).Select(i =>
        {
            var path = Path.Combine(folder, $"still-{i:000}.png");
            File.WriteAllBytes(path, png);
            return path;
        }).ToList();
    }

    /// <summary>
    /// PNGs of about <paramref name="bytes"/> each, under the 10 MiB limit: noise stored without compression,
    /// so the file is as large as its pixels and no encoder can make its Base64 smaller.
    /// </summary>
    public IReadOnlyList<string> LargePngs(int count, long bytes)
    {
        var folder = Folder("large");
        const int width = 1920;
        const int row = 1 + width * 3;
        var height = (int)(bytes / row);
        var pixels = new byte[row * height];
        var random = new Random(6);
        return Enumerable.Range(1, count).Select(i =>
        {
            random.NextBytes(pixels);
            for (var y = 0; y < height; y++) pixels[y * row] = 0; // filter type None
            var idat = new MemoryStream();
            using (var zlib = new ZLibStream(idat, CompressionLevel.NoCompression, leaveOpen: true)) zlib.Write(pixels);
            var path = Path.Combine(folder, $"large-{i}.png");
            File.WriteAllBytes(path, TestImages.PngFromChunks(("IHDR", TestImages.Ihdr(width, height)), ("IDAT", idat.ToArray()), ("IEND", [])));
            return path;
        }).ToList();
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { } // a file a killed child still held; the temp folder is cleaned eventually
    }
}
