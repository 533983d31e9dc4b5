using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KlingPS.Emulator;

/// <summary>
/// Standard Webhooks symmetric signing (standard-webhooks spec, "Signature scheme"), as Kling's
/// webhooks use it: <c>webhook-signature: v1,{base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}"}</c>.
/// </summary>
internal static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    /// <summary>
    /// The HMAC key of a secret: for "whsec_" + Base64 (the Standard Webhooks form) the decoded bytes,
    /// for any other text its UTF-8 bytes.
    /// </summary>
    /// <exception cref="ArgumentException">Empty, or "whsec_" followed by no valid Base64.</exception>
    public static byte[] KeyOf(string secret)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
            return secret.Length > 0 ? Encoding.UTF8.GetBytes(secret) : throw new ArgumentException("a callback secret cannot be empty");
        try
        {
            byte[] key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
            return key.Length > 0 ? key : throw new ArgumentException("a whsec_ secret needs a key after the prefix");
        }
        catch (FormatException)
        {
            throw new ArgumentException("a secret starting with whsec_ must continue with Base64");
        }
    }

    public static string Sign(byte[] key, string messageId, long timestamp, string body)
    {
        byte[] signed = Encoding.UTF8.GetBytes($"{messageId}.{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }
}
