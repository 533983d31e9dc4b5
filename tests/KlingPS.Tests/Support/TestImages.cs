using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace KlingPS.Tests.Support;

/// <summary>What a generated JPEG holds; only the header is real, the scan is filler, as image checks need no more.</summary>
public sealed record JpegSpec(int Width, int Height)
{
    /// <summary>The frame marker: C0 baseline, C1 extended, C2 progressive, ...</summary>
    public byte Sof { get; init; } = 0xC0;
    /// <summary>1 grey, 3 YCbCr, 4 CMYK.</summary>
    public int Components { get; init; } = 3;
    /// <summary>An APP1 Exif block before the frame header.</summary>
    public bool Exif { get; init; }
    /// <summary>Bytes of Exif data (at most 65513) beyond its TIFF header.</summary>
    public int ExifPadding { get; init; }
    /// <summary>An APP14 Adobe segment (transform 0: plain CMYK) instead of JFIF's APP0.</summary>
    public bool Adobe { get; init; }
    /// <summary>Bytes of COM segments before the frame header, so that finding it takes many seeks.</summary>
    public int CommentBytes { get; init; }
    /// <summary>0xFF fill bytes before a marker, and standalone TEM and RST0 markers, before the frame header.</summary>
    public bool FillBytes { get; init; }
    /// <summary>The exact file size, reached by scan filler; 0 for a small file.</summary>
    public long TotalBytes { get; init; }
}

/// <summary>
/// Real image files for tests, written to a temporary folder of their own that Dispose deletes.
/// PNGs are complete, decodable images; JPEGs have valid headers and filler scans.
/// </summary>
public sealed class TestImages : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = MakeCrcTable();

    public TestImages() => Folder = Directory.CreateTempSubdirectory("klingps-tests-").FullName;

    public string Folder { get; }

    public string PathOf(string name) => Path.Combine(Folder, name);

    public string Write(string name, byte[] bytes)
    {
        var path = PathOf(name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes the bytes and returns them as a file image.</summary>
    public KlingImage File(string name, byte[] bytes) => KlingImage.FromFile(Write(name, bytes));

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { } // a file still open elsewhere; the temp folder is cleaned eventually
    }

    /// <summary>An RGB PNG with a colour gradient; <paramref name="exif"/> adds an eXIf chunk.</summary>
    public static byte[] Png(int width, int height, bool exif = false)
    {
        var chunks = new List<(string, byte[])> { ("IHDR", Ihdr(width, height)) };
        if (exif) chunks.Add(("eXIf", TiffHeader(0)));
        chunks.Add(("IDAT", PixelData(width, height)));
        chunks.Add(("IEND", []));
        return PngFromChunks([.. chunks]);
    }

    /// <summary>A PNG made of the given chunks, each with its CRC.</summary>
    public static byte[] PngFromChunks(params (string Type, byte[] Data)[] chunks)
    {
        var png = new MemoryStream();
        png.Write(PngSignature);
        foreach (var (type, data) in chunks)
        {
            var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
            png.Write(BigEndian((uint)data.Length));
            png.Write(typed);
            png.Write(BigEndian(Crc32(typed)));
        }
        return png.ToArray();
    }

    /// <summary>An IHDR chunk's data.</summary>
    public static byte[] Ihdr(int width, int height, byte depth = 8, byte colourType = 2)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = depth;
        ihdr[9] = colourType;
        return ihdr;
    }

    public static byte[] Jpeg(int width, int height) => Jpeg(new JpegSpec(width, height));

    public static byte[] Jpeg(JpegSpec spec)
    {
        var jpeg = new MemoryStream();
        jpeg.Write([0xFF, 0xD8]);
        if (spec.Adobe)
            Segment(jpeg, 0xEE, [.. "Adobe"u8, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00]);
        else
            Segment(jpeg, 0xE0, [.. "JFIF"u8, 0x00, 0x01, 0x02, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
        if (spec.Exif) Segment(jpeg, 0xE1, [.. "Exif"u8, 0x00, 0x00, .. TiffHeader(spec.ExifPadding)]);
        for (var left = spec.CommentBytes; left > 0; left -= 65533)
            Segment(jpeg, 0xFE, Enumerable.Repeat((byte)'c', Math.Min(left, 65533)).ToArray());
        if (spec.FillBytes) jpeg.Write([0xFF, 0x01, 0xFF, 0xD0, 0xFF, 0xFF, 0xFF]); // TEM, RST0, then fill bytes before DQT's marker
        Segment(jpeg, 0xDB, [0x00, .. Enumerable.Repeat((byte)1, 64)]);
        var frame = new List<byte> { 8, (byte)(spec.Height >> 8), (byte)spec.Height, (byte)(spec.Width >> 8), (byte)spec.Width, (byte)spec.Components };
        for (var c = 1; c <= spec.Components; c++) frame.AddRange([(byte)c, 0x11, 0x00]);
        Segment(jpeg, spec.Sof, [.. frame]);
        Segment(jpeg, 0xC4, [0x00, 1, .. new byte[15], 0x00]); // one code of length 1
        var scan = new List<byte> { (byte)spec.Components };
        for (var c = 1; c <= spec.Components; c++) scan.AddRange([(byte)c, 0x00]);
        scan.AddRange([0x00, 0x3F, 0x00]);
        Segment(jpeg, 0xDA, [.. scan]);
        jpeg.Write([0x12, 0x34, 0xFF, 0x00, 0x56]); // entropy-coded data with a stuffed 0xFF
        if (spec.TotalBytes > 0)
        {
            var filler = spec.TotalBytes - 2 - jpeg.Length;
            if (filler < 0) throw new ArgumentException("TotalBytes is smaller than the header.");
            jpeg.SetLength(jpeg.Length + filler);
            jpeg.Position = jpeg.Length;
        }
        jpeg.Write([0xFF, 0xD9]);
        return jpeg.ToArray();
    }

    /// <summary>Where a JPEG's frame header (the first SOF marker) starts.</summary>
    public static int FrameHeaderOffset(byte[] jpeg)
    {
        for (var i = 2; i < jpeg.Length - 1; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC) return i;
        throw new ArgumentException("No frame header.");
    }

    public static byte[] Gif(int width, int height) =>
        [.. "GIF89a"u8, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0x00, 0x00, 0x00,
         0x2C, 0, 0, 0, 0, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B];

    public static byte[] WebP() => [.. "RIFF"u8, 26, 0, 0, 0, .. "WEBPVP8 "u8, 14, 0, 0, 0, 0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A, 0x90, 0x01, 0x90, 0x01, 0, 0, 0, 0];

    public static byte[] Bmp(int width, int height)
    {
        var bmp = new byte[54];
        "BM"u8.CopyTo(bmp);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), height);
        bmp[26] = 1;
        bmp[28] = 24;
        return bmp;
    }

    /// <summary>The start of an ISO-BMFF image: an ftyp box with the given brands, then an empty meta box.</summary>
    public static byte[] Heif(string majorBrand, params string[] compatibleBrands)
    {
        var brands = string.Concat(compatibleBrands);
        var ftyp = Encoding.ASCII.GetBytes("ftyp" + majorBrand + "\0\0\0\0" + brands);
        return [.. BigEndian((uint)ftyp.Length + 4), .. ftyp, 0, 0, 0, 12, .. "meta"u8, 0, 0, 0, 0];
    }

    private static void Segment(Stream jpeg, byte marker, byte[] data)
    {
        jpeg.Write([0xFF, marker, (byte)((data.Length + 2) >> 8), (byte)(data.Length + 2)]);
        jpeg.Write(data);
    }

    /// <summary>A big-endian TIFF header with an empty IFD, then padding: enough for an Exif block.</summary>
    private static byte[] TiffHeader(int padding) => [.. "MM"u8, 0x00, 0x2A, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, .. new byte[padding]];

    /// <summary>Zlib-compressed rows, each with filter type 0 (None), of a gradient.</summary>
    private static byte[] PixelData(int width, int height)
    {
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[1 + width * 3];
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    row[1 + x * 3] = (byte)(x * 255 / width);
                    row[2 + x * 3] = (byte)(y * 255 / height);
                    row[3 + x * 3] = 128;
                }
                zlib.Write(row);
            }
        }
        return compressed.ToArray();
    }

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] MakeCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
