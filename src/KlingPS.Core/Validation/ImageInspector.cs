using System;
using System.IO;
using KlingPS.Core.Models;

namespace KlingPS.Core.Validation
{
    /// <summary>
    /// Reads an image's format and pixel size from its header, without decoding the image or
    /// reading the rest of the file: PNG from its IHDR chunk, JPEG by walking the marker segments
    /// (seeking over them) to the frame header. GIF, WebP, BMP, HEIC and AVIF are recognised by their
    /// magic bytes so that a wrong format can be named.
    /// A header that ends early throws <see cref="EndOfStreamException"/>; a damaged one throws
    /// <see cref="InvalidDataException"/>.
    /// </summary>
    internal static class ImageInspector
    {
        private const int HeadLength = 64; // holds a PNG's signature and IHDR, and an ftyp box's first brands
        private const int Base64PrefixChars = 64 * 1024; // decodes to 48 KiB: most JPEGs reach their frame header well before

        private static readonly byte[] PngSignature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

        /// <summary>Inspects a seekable stream from its current position; ByteLength is what remains of it.</summary>
        public static ImageInfo Inspect(Stream stream)
        {
            if (stream == null) throw new ArgumentNullException(nameof(stream));
            if (!stream.CanSeek) throw new ArgumentException("The stream must be seekable.", nameof(stream));
            return Inspect(stream, stream.Length - stream.Position, out _);
        }

        /// <summary>Inspects a seekable stream, also giving its first bytes for a message about an unknown format.</summary>
        internal static ImageInfo Inspect(Stream stream, out byte[] head) => Inspect(stream, stream.Length - stream.Position, out head);

        /// <summary>Inspects Base64 text that has already passed <see cref="Base64Problem"/>.</summary>
        internal static ImageInfo InspectBase64(string text, out byte[] head)
        {
            var length = Base64DecodedLength(text);
            if (text.Length > Base64PrefixChars)
            {
                try
                {
                    return Inspect(new MemoryStream(Convert.FromBase64String(text.Substring(0, Base64PrefixChars)), false), length, out head);
                }
                catch (EndOfStreamException)
                {
                    // The frame header lies beyond the prefix: decode the rest too.
                }
            }
            return Inspect(new MemoryStream(Convert.FromBase64String(text), false), length, out head);
        }

        /// <summary>Bytes that Base64 text of a valid length decodes to.</summary>
        internal static long Base64DecodedLength(string text)
        {
            var padding = text.EndsWith("==", StringComparison.Ordinal) ? 2 : text.EndsWith("=", StringComparison.Ordinal) ? 1 : 0;
            return (long)text.Length / 4 * 3 - padding;
        }

        /// <summary>Why text is not strict Base64 (standard alphabet, padded to a multiple of 4), or null when it is.</summary>
        internal static string? Base64Problem(string text)
        {
            if (text.Length % 4 != 0) return ValidationMessages.Base64Length(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/') continue;
                if (c == '=' && (i == text.Length - 1 || (i == text.Length - 2 && text[i + 1] == '='))) continue;
                return c == '=' ? ValidationMessages.Base64Padding(i) : ValidationMessages.Base64Character(c, i);
            }
            return null;
        }

        private static ImageInfo Inspect(Stream stream, long byteLength, out byte[] head)
        {
            var start = stream.Position;
            var buffer = new byte[HeadLength];
            var n = ReadUpTo(stream, buffer);
            if (n == 0) throw new EndOfStreamException(ValidationMessages.HeaderEmpty);
            head = new byte[Math.Min(n, 8)];
            Array.Copy(buffer, head, head.Length);
            return Inspect(stream, start, buffer, n, byteLength);
        }

        private static ImageInfo Inspect(Stream stream, long start, byte[] head, int n, long byteLength)
        {
            if (StartsWith(head, n, PngSignature) || (n >= 4 && StartsWith(head, 4, PngSignature)))
                return ReadPng(head, n, byteLength);
            if (n >= 2 && head[0] == 0xFF && head[1] == 0xD8)
            {
                stream.Position = start + 2;
                return ReadJpeg(stream, start, start + byteLength, byteLength);
            }
            return new ImageInfo(Recognise(head, n), 0, 0, byteLength);
        }

        private static ImageFormat Recognise(byte[] head, int n)
        {
            if (n >= 4 && Ascii(head, 0, 4) == "GIF8") return ImageFormat.Gif;
            if (n >= 12 && Ascii(head, 0, 4) == "RIFF" && Ascii(head, 8, 4) == "WEBP") return ImageFormat.WebP;
            if (n >= 2 && head[0] == (byte)'B' && head[1] == (byte)'M') return ImageFormat.Bmp;
            if (n >= 12 && Ascii(head, 4, 4) == "ftyp")
            {
                // ISO base media file: the brands say which; mif1 alone is HEIF, the family HEIC belongs to.
                var boxEnd = (int)Math.Min(BigEndian32(head, 0), (uint)n);
                var format = ImageFormat.Unknown;
                for (var at = 8; at + 4 <= boxEnd; at += at == 8 ? 8 : 4) // the minor version after the major brand is not a brand
                {
                    switch (Ascii(head, at, 4))
                    {
                        case "avif": case "avis": return ImageFormat.Avif;
                        case "heic": case "heix": case "heim": case "heis": case "hevc": case "hevx": case "mif1": case "msf1":
                            format = ImageFormat.Heic;
                            break;
                    }
                }
                return format;
            }
            return ImageFormat.Unknown;
        }

        private static ImageInfo ReadPng(byte[] head, int n, long byteLength)
        {
            if (!StartsWith(head, Math.Min(n, PngSignature.Length), PngSignature)) throw new InvalidDataException(ValidationMessages.PngSignatureDamaged);
            if (n < 8 + 8 + 13) throw new EndOfStreamException(ValidationMessages.PngEndsInHeader);
            var type = Ascii(head, 12, 4);
            if (type != "IHDR" || BigEndian32(head, 8) != 13) throw new InvalidDataException(ValidationMessages.PngNoIhdr(type));
            var width = BigEndian32(head, 16);
            var height = BigEndian32(head, 20);
            if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
                throw new InvalidDataException(ValidationMessages.HeaderSize("PNG", width, height));
            int depth = head[24], colour = head[25];
            var depthOk = colour switch
            {
                0 => depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16,
                3 => depth == 1 || depth == 2 || depth == 4 || depth == 8,
                2 or 4 or 6 => depth == 8 || depth == 16,
                _ => false,
            };
            if (!depthOk || head[26] != 0 || head[27] != 0 || head[28] > 1) throw new InvalidDataException(ValidationMessages.PngBadIhdr(depth, colour));
            return new ImageInfo(ImageFormat.Png, (int)width, (int)height, byteLength);
        }

        private static ImageInfo ReadJpeg(Stream s, long start, long end, long byteLength)
        {
            var segment = new byte[7];
            while (true)
            {
                var at = s.Position - start;
                var b = ReadByte(s);
                if (b != 0xFF) throw new InvalidDataException(ValidationMessages.JpegNoMarker(at, b));
                int marker;
                do marker = ReadByte(s); while (marker == 0xFF); // fill bytes may pad any marker
                if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) continue; // RSTn and TEM stand alone
                if (marker == 0x00 || marker == 0xD8 || marker == 0xD9 || marker == 0xDA)
                    throw new InvalidDataException(ValidationMessages.JpegMarkerBeforeFrame(marker, at));
                var length = (ReadByte(s) << 8) | ReadByte(s);
                if (length < 2) throw new InvalidDataException(ValidationMessages.JpegSegmentLength(at, length));
                if (IsFrameHeader(marker))
                {
                    if (length < 2 + segment.Length) throw new InvalidDataException(ValidationMessages.JpegSegmentLength(at, length));
                    for (var i = 0; i < segment.Length; i++) segment[i] = (byte)ReadByte(s);
                    int height = (segment[1] << 8) | segment[2], width = (segment[3] << 8) | segment[4];
                    if (width == 0 || height == 0 || segment[5] == 0) throw new InvalidDataException(ValidationMessages.HeaderSize("JPEG", (uint)width, (uint)height));
                    return new ImageInfo(ImageFormat.Jpeg, width, height, byteLength);
                }
                var next = s.Position + length - 2;
                if (next >= end) throw new EndOfStreamException(ValidationMessages.JpegEndsBeforeFrame);
                s.Position = next;
            }
        }

        // SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
        private static bool IsFrameHeader(int marker) => marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;

        private static int ReadByte(Stream s)
        {
            var b = s.ReadByte();
            return b >= 0 ? b : throw new EndOfStreamException(ValidationMessages.JpegEndsBeforeFrame);
        }

        private static int ReadUpTo(Stream s, byte[] buffer)
        {
            var total = 0;
            int read;
            while (total < buffer.Length && (read = s.Read(buffer, total, buffer.Length - total)) > 0) total += read;
            return total;
        }

        private static bool StartsWith(byte[] data, int n, byte[] prefix)
        {
            if (n < 1) return false;
            for (var i = 0; i < Math.Min(n, prefix.Length); i++) if (data[i] != prefix[i]) return false;
            return true;
        }

        private static uint BigEndian32(byte[] b, int at) => (uint)(b[at] << 24 | b[at + 1] << 16 | b[at + 2] << 8 | b[at + 3]);

        private static string Ascii(byte[] b, int at, int count)
        {
            var chars = new char[count];
            for (var i = 0; i < count; i++) chars[i] = (char)b[at + i];
            return new string(chars);
        }
    }
}
