using System;

namespace KlingPS.Core.Client
{
    /// <summary>
    /// The CometAPI key. Holds the text privately and never shows it: ToString, formatting and
    /// serialization see only a mask, so the key cannot reach an output stream or a log by accident.
    /// </summary>
    internal sealed class KlingApiKey
    {
        private readonly string _value;

        /// <exception cref="ArgumentException">The key is empty, or holds a control character (after the surrounding white space, which is dropped).</exception>
        public KlingApiKey(string value)
        {
            if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException(Messages.EmptyApiKey, nameof(value));
            _value = value.Trim();
            // The key goes into the Authorization header as it is: a CR or LF there would end the header and start another
            // one of the key holder's choosing; no key has any control character (< 0x20, DEL, C1).
            foreach (var c in _value)
                if (char.IsControl(c)) throw new ArgumentException(Messages.ApiKeyControlCharacter(c), nameof(value));
        }

        /// <summary>The last four characters, enough to tell two keys apart.</summary>
        public string Hint => _value.Length <= 8 ? "****" : "****" + _value.Substring(_value.Length - 4);

        internal string Reveal() => _value;

        /// <summary>True when <paramref name="other"/> is this key (to reuse a connection without exposing the key).</summary>
        public bool Matches(KlingApiKey other) => string.Equals(_value, other?._value, StringComparison.Ordinal);

        public override string ToString() => Hint;
    }
}
