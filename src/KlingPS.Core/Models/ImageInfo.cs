namespace KlingPS.Core.Models
{
    /// <summary>What an image's header says: format and pixel size, read without decoding the image.</summary>
    public sealed class ImageInfo
    {
        public ImageInfo(ImageFormat format, int width, int height, long byteLength)
        {
            Format = format;
            Width = width;
            Height = height;
            ByteLength = byteLength;
        }

        public ImageFormat Format { get; }
        /// <summary>Pixels across; 0 for formats that are recognised but not read (GIF, WebP, BMP, HEIC, AVIF, unknown).</summary>
        public int Width { get; }
        public int Height { get; }
        /// <summary>Size of the encoded image in bytes.</summary>
        public long ByteLength { get; }

        public override string ToString() => $"{Format} {Width} x {Height} px, {ByteLength} bytes";
    }

    /// <summary>Image formats recognised by their bytes.</summary>
    public enum ImageFormat
    {
        Unknown,
        Png,
        Jpeg,
        Gif,
        WebP,
        Bmp,
        Heic,
        Avif,
    }
}
