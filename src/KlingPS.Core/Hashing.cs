using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace KlingPS.Core
{
    /// <summary>The one place the core hashes, so that every derived key or id is computed the same FIPS-safe way.</summary>
    internal static class Hashing
    {
        /// <summary>
        /// Lower-case hex SHA-256 of the text's UTF-8 bytes. IncrementalHash, not SHA256.Create(): on .NET Framework it
        /// builds SHA256CryptoServiceProvider (Windows' validated CAPI module) directly, where SHA256.Create() goes through
        /// CryptoConfig, which gives SHA256Managed (refused under the FIPS policy) up to 4.6.1 and on machines whose
        /// configuration maps it so.
        /// </summary>
        public static string Sha256Hex(string text)
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            sha.AppendData(Encoding.UTF8.GetBytes(text));
            return Hex(sha.GetHashAndReset());
        }

        /// <summary>Lower-case hex SHA-256 of a stream's bytes from its position to its end, read in 80 KB pieces.</summary>
        public static string Sha256Hex(Stream content)
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            int read;
            while ((read = content.Read(buffer, 0, buffer.Length)) > 0) sha.AppendData(buffer, 0, read);
            return Hex(sha.GetHashAndReset());
        }

        private static string Hex(byte[] hash)
        {
            var hex = new StringBuilder(hash.Length * 2);
            foreach (var b in hash) hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            return hex.ToString();
        }

        /// <summary>HMAC-SHA256 of the text's UTF-8 bytes (webhook signatures), through IncrementalHash for the same reason.</summary>
        public static byte[] HmacSha256(byte[] key, string text)
        {
            using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
            hmac.AppendData(Encoding.UTF8.GetBytes(text));
            return hmac.GetHashAndReset();
        }
    }
}
