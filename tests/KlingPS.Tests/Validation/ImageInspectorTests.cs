using KlingPS.Tests.Support;
using Xunit;
using static KlingPS.Tests.Support.TestImages;

namespace KlingPS.Tests.Validation;

public sealed class ImageInspectorTests
{
    public static TheoryData<string, byte[], ImageFormat, int, int> Headers => new()
    {
        { "PNG", Png(640, 480), ImageFormat.Png, 640, 480 },
        { "PNG with eXIf", Png(301, 700, exif: true), ImageFormat.Png, 301, 700 },
        { "baseline JPEG", Jpeg(1920, 1080), ImageFormat.Jpeg, 1920, 1080 },
        { "progressive JPEG", Jpeg(new JpegSpec(800, 600) { Sof = 0xC2 }), ImageFormat.Jpeg, 800, 600 },
        { "lossless JPEG", Jpeg(new JpegSpec(800, 600) { Sof = 0xC3 }), ImageFormat.Jpeg, 800, 600 },
        { "arithmetic JPEG", Jpeg(new JpegSpec(800, 600) { Sof = 0xC9 }), ImageFormat.Jpeg, 800, 600 },
        { "CMYK JPEG", Jpeg(new JpegSpec(65535, 300) { Components = 4, Adobe = true }), ImageFormat.Jpeg, 65535, 300 },
        { "JPEG with EXIF", Jpeg(new JpegSpec(1024, 768) { Exif = true, ExifPadding = 65000 }), ImageFormat.Jpeg, 1024, 768 },
        { "JPEG with fill bytes", Jpeg(new JpegSpec(320, 320) { FillBytes = true }), ImageFormat.Jpeg, 320, 320 },
        { "GIF", Gif(10, 10), ImageFormat.Gif, 0, 0 },
        { "WebP", WebP(), ImageFormat.WebP, 0, 0 },
        { "BMP", Bmp(10, 10), ImageFormat.Bmp, 0, 0 },
        { "HEIC", Heif("heic", "mif1", "heic"), ImageFormat.Heic, 0, 0 },
        { "AVIF", Heif("avif", "avif", "mif1", "miaf"), ImageFormat.Avif, 0, 0 },
        { "AVIF among other brands", Heif("mif1", "mif1", "miaf", "avif"), ImageFormat.Avif, 0, 0 },
        { "MP4", Heif("isom", "isom", "mp41"), ImageFormat.Unknown, 0, 0 },
        { "text", "hello"u8.ToArray(), ImageFormat.Unknown, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void ReadsFormatAndSize(string what, byte[] bytes, ImageFormat format, int width, int height)
    {
        var info = ImageInspector.Inspect(new MemoryStream(bytes));

        Assert.True((format, width, height, (long)bytes.Length) == (info.Format, info.Width, info.Height, info.ByteLength), $"{what}: {info}");
    }

    [Fact]
    public void ReadsOnlyTheHeader()
    {
        // 10 MB of comments before the frame header: the walk must seek over them, not read them.
        var jpeg = Jpeg(new JpegSpec(4000, 3000) { CommentBytes = 10_000_000 });
        var stream = new CountingStream(new MemoryStream(jpeg));

        var info = ImageInspector.Inspect(stream);

        Assert.Equal((4000, 3000), (info.Width, info.Height));
        Assert.InRange(stream.BytesRead, 1, 2048);
    }

    [Fact]
    public void StartsAtTheStreamsPosition()
    {
        var png = Png(400, 300);
        var stream = new MemoryStream([.. new byte[100], .. png]) { Position = 100 };

        var info = ImageInspector.Inspect(stream);

        Assert.Equal((ImageFormat.Png, 400, 300, (long)png.Length), (info.Format, info.Width, info.Height, info.ByteLength));
    }

    [Fact]
    public void TruncatedAndCorruptHeadersThrow()
    {
        var jpeg = Jpeg(640, 480);
        Assert.Throws<EndOfStreamException>(() => ImageInspector.Inspect(new MemoryStream(jpeg[..(FrameHeaderOffset(jpeg) + 5)])));
        Assert.Throws<EndOfStreamException>(() => ImageInspector.Inspect(new MemoryStream(Png(400, 400)[..28])));
        Assert.Throws<EndOfStreamException>(() => ImageInspector.Inspect(new MemoryStream([0xFF, 0xD8])));
        Assert.Throws<EndOfStreamException>(() => ImageInspector.Inspect(new MemoryStream()));
        Assert.Throws<InvalidDataException>(() => ImageInspector.Inspect(new MemoryStream([0xFF, 0xD8, 0xFF, 0xD8, 0xFF, 0xC0])));
        Assert.Throws<InvalidDataException>(() => ImageInspector.Inspect(new MemoryStream(Jpeg(0, 480))));
    }

    [Fact]
    public void Base64DecodesMoreWhenTheFrameIsFar()
    {
        var jpeg = Jpeg(new JpegSpec(1280, 720) { Exif = true, ExifPadding = 65000 });
        Assert.True(FrameHeaderOffset(jpeg) > 48 * 1024);

        var info = ImageInspector.InspectBase64(Convert.ToBase64String(jpeg), out _);

        Assert.Equal((1280, 720, (long)jpeg.Length), (info.Width, info.Height, info.ByteLength));
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("QQ==", null)]
    [InlineData("QUI=", null)]
    [InlineData("QUJD", null)]
    [InlineData("QUJ", "its length, 3 characters, is not a multiple of 4")]
    [InlineData("Q===", "padding '=' appears at position 1, before the end")]
    [InlineData("QU I", "' ' at position 2 is not a Base64 character")]
    [InlineData("QU_I", "'_' at position 2 is not a Base64 character (URL-safe Base64 is not accepted)")]
    [InlineData("QUé=", "U+00E9 at position 2 is not a Base64 character")]
    public void Base64IsStrict(string text, string? problem)
    {
        Assert.Equal(problem, ImageInspector.Base64Problem(text));
        if (problem == null) Assert.Equal(Convert.FromBase64String(text).Length, ImageInspector.Base64DecodedLength(text));
    }

    /// <summary>Counts the bytes a reader takes from a stream.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }
    }
}
