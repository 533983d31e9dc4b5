using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace KlingPS.Core.Downloading
{
    /// <summary>
    /// The longest file name the file systems videos are saved to accept: 255 UTF-16 units on Windows (NTFS, ReFS), 255 bytes
    /// elsewhere (ext4, XFS, Btrfs and APFS count UTF-8 bytes). Names are shortened at their end, never inside a character: a
    /// surrogate pair, or a letter and the accents that go with it, stay whole or go together.
    /// </summary>
    internal static class FileNameLimit
    {
        public const int Maximum = 255;

        private static readonly bool CountsUtf16Units = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>The size of a name as this system's file names count it.</summary>
        public static int SizeOf(string text) => CountsUtf16Units ? text.Length : Encoding.UTF8.GetByteCount(text);

        /// <summary>The longest start of <paramref name="text"/>, in whole characters, whose size is at most <paramref name="room"/>.</summary>
        public static string Shorten(string text, int room)
        {
            if (SizeOf(text) <= room) return text;
            var kept = new StringBuilder();
            var size = 0;
            var characters = StringInfo.GetTextElementEnumerator(text);
            while (characters.MoveNext())
            {
                var character = characters.GetTextElement();
                size += SizeOf(character);
                if (size > room) break;
                kept.Append(character);
            }
            return kept.ToString();
        }
    }
}
