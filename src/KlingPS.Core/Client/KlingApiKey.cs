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

        public KlingApiKey(string value)
        {
            if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException(Messages.EmptyApiKey, nameof(value));
            _value = value.Trim();
        }

        /// <summary>The last four characters, enough to tell two keys apart.</summary>
        public string Hint => _value.Length <= 8 ? "****" : "****" + _value.Substring(_value.Length - 4);

        internal string Reveal() => _value;

        /// <summary>True when <paramref name="candidate"/> is this key (to reuse a connection without exposing the key).</summary>
        public bool Matches(string candidate) => string.Equals(_value, candidate?.Trim(), StringComparison.Ordinal);

        public override string ToString() => Hint;
    }
}
