using System;
using System.Text;

namespace KlingPS.Core.Callbacks
{
    /// <summary>
    /// The HMAC key of a webhook secret. "whsec_" followed by Base64 (the Standard Webhooks form) is the decoded bytes; any
    /// other text is its UTF-8 bytes, for providers that hand out a secret as plain text. The emulator signs by the same rule.
    /// </summary>
    internal sealed class WebhookKey
    {
        public const string Prefix = "whsec_";

        private WebhookKey(byte[] bytes) => Bytes = bytes;

        public byte[] Bytes { get; }

        /// <exception cref="Validation.KlingValidationException">The secret is empty, or "whsec_" is not followed by Base64.</exception>
        public static WebhookKey FromSecret(string secret)
        {
            if (string.IsNullOrEmpty(secret)) throw CallbackErrors.SecretInvalid(CallbackMessages.SecretEmpty);
            if (!secret.StartsWith(Prefix, StringComparison.Ordinal)) return new WebhookKey(Encoding.UTF8.GetBytes(secret));
            try
            {
                var key = Convert.FromBase64String(secret.Substring(Prefix.Length));
                if (key.Length > 0) return new WebhookKey(key);
            }
            catch (FormatException)
            {
                // reported below, like an empty key
            }
            throw CallbackErrors.SecretInvalid(CallbackMessages.SecretNotBase64);
        }
    }
}
