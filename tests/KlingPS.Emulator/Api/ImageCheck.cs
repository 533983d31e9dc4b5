using System.Buffers.Binary;
using System.Text.Json;

namespace KlingPS.Emulator.Api;

/// <summary>The image rules of the create call, split the way the service splits them.</summary>
internal static class ImageCheck
{
    private const int MaxBytes = 10 * 1024 * 1024;
    private const int MinSide = 300;
    private const double MaxAspect = 2.5;

    public const string PixelInvalid = "Image pixel is invalid";
    public const string AspectInvalid = "Image aspect ratio is invalid";

    /// <summary>
    /// Refuses (throws <see cref="BadRequest"/>) what the service refuses at creation: no string,
    /// a data: URI, neither URL nor Base64, over 10 MB, not PNG/JPEG. Returns the reason the task
    /// will fail with later for images the service accepts but cannot use (under 300 px, extreme
    /// aspect ratio), or null. URLs are accepted as they are: the service fetches them later and the
    /// emulator cannot.
    /// </summary>
    public static string? Check(string field, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
            throw new BadRequest($"{field} must be a non-empty string");
        if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            throw new BadRequest($"{field} must be raw Base64 without a data: prefix");
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") return null;

        var bytes = new byte[(text.Length / 4 + 1) * 3];
        if (!Convert.TryFromBase64String(text, bytes, out int length))
            throw new BadRequest($"{field} is neither an http(s) URL nor valid Base64");
        if (length > MaxBytes) throw new BadRequest($"{field} is larger than 10 MB");
        var (width, height) = PixelSize(bytes.AsSpan(0, length))
            ?? throw new BadRequest($"{field} is not a valid JPG/JPEG/PNG image");

        if (Math.Min(width, height) < MinSide) return PixelInvalid;
        if ((double)Math.Max(width, height) / Math.Min(width, height) > MaxAspect) return AspectInvalid;
        return null;
    }

    /// <summary>Reads the size from a PNG IHDR or a JPEG SOF header; null when it is neither.</summary>
    private static (int Width, int Height)? PixelSize(ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        if (data.StartsWith(png))
        {
            if (data.Length < 24 || !data[12..16].SequenceEqual("IHDR"u8)) return null;
            return ((int)BinaryPrimitives.ReadUInt32BigEndian(data[16..]), (int)BinaryPrimitives.ReadUInt32BigEndian(data[20..]));
        }
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8) return null;

        // Walk the JPEG segments to the first start-of-frame marker (C0-CF without C4, C8, CC,
        // which are tables and arithmetic-coding markers).
        int at = 2;
        while (at + 9 <= data.Length && data[at] == 0xFF)
        {
            byte marker = data[at + 1];
            if (marker == 0xFF) { at++; continue; }                       // fill byte
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { at += 2; continue; } // no length field
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
                return (BinaryPrimitives.ReadUInt16BigEndian(data[(at + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(data[(at + 5)..]));
            at += 2 + BinaryPrimitives.ReadUInt16BigEndian(data[(at + 2)..]);
        }
        return null;
    }
}

/// <summary>A create request the service refuses with 1201; the message says what is wrong.</summary>
internal sealed class BadRequest(string message) : Exception(message);
