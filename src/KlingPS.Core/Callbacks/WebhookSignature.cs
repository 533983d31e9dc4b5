using System;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;

namespace KlingPS.Core.Callbacks
{
    /// <summary>
    /// Checks a callback's Standard Webhooks signature (the symmetric scheme, which Kling's webhooks use): webhook-signature holds
    /// space-separated "v1,&lt;Base64&gt;" entries, each an HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}". One matching
    /// entry is enough (a sender rotating its secret signs with both), other versions are skipped, and every comparison takes
    /// the same time whatever the bytes, so that a forger learns nothing from how long a refusal took. webhook-timestamp must
    /// lie within <see cref="Tolerance"/> of now, either way, so that a recorded callback cannot be replayed later.
    /// </summary>
    internal static class WebhookSignature
    {
        public const string IdHeader = "webhook-id";
        public const string TimestampHeader = "webhook-timestamp";
        public const string SignatureHeader = "webhook-signature";

        /// <summary>The standard's recommendation.</summary>
        public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

        private static readonly char[] Space = { ' ' };

        /// <summary>Throws unless <paramref name="request"/> carries a valid, recent signature made with <paramref name="key"/>.</summary>
        /// <returns>What was verified, for -Verbose.</returns>
        /// <exception cref="Validation.KlingValidationException">A header is missing, the timestamp is not recent, or no signature matches.</exception>
        public static string Verify(CallbackRequest request, WebhookKey key, DateTimeOffset now)
        {
            var id = request.Header(IdHeader);
            var timestamp = request.Header(TimestampHeader);
            var signatures = request.Header(SignatureHeader);
            var missing = new[] { (IdHeader, id), (TimestampHeader, timestamp), (SignatureHeader, signatures) }
                .Where(h => string.IsNullOrWhiteSpace(h.Item2)).Select(h => h.Item1).ToList();
            if (missing.Count > 0) throw CallbackErrors.SignatureMissing(request, missing);

            // Unix seconds, digits only; the bound keeps the conversion below in range.
            if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253402300799L)
                throw CallbackErrors.SignatureInvalid(request, id!, CallbackMessages.TimestampNotSeconds(id!, timestamp!));
            var age = now - DateTimeOffset.FromUnixTimeSeconds(seconds);
            if (age.Duration() > Tolerance) throw CallbackErrors.TimestampOutOfRange(request, id!, age);

            var expected = Hashing.HmacSha256(key.Bytes, id + "." + timestamp + "." + request.Body);
            var entries = signatures!.Split(Space, StringSplitOptions.RemoveEmptyEntries);
            foreach (var entry in entries)
            {
                var comma = entry.IndexOf(',');
                if (comma < 0 || entry.Substring(0, comma) != "v1") continue;
                if (TryBase64(entry.Substring(comma + 1), out var given) && FixedTimeEquals(expected, given))
                    return CallbackMessages.SignatureVerified(id!, age);
            }
            throw CallbackErrors.SignatureInvalid(request, id!, CallbackMessages.NoSignatureMatches(id!, entries.Length));
        }

        private static bool TryBase64(string text, out byte[] bytes)
        {
            try
            {
                bytes = Convert.FromBase64String(text);
                return true;
            }
            catch (FormatException)
            {
                bytes = Array.Empty<byte>();
                return false;
            }
        }

        /// <summary>
        /// Equality of two byte strings in a time that depends on their length only (which is public: an HMAC-SHA256 is 32 bytes).
        /// netstandard2.0 has no CryptographicOperations.FixedTimeEquals; this is its loop, kept from being optimised.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
        internal static bool FixedTimeEquals(byte[] left, byte[] right)
        {
            if (left.Length != right.Length) return false;
            var difference = 0;
            for (var i = 0; i < left.Length; i++) difference |= left[i] ^ right[i];
            return difference == 0;
        }
    }
}
