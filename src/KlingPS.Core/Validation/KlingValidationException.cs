using KlingPS.Core.Errors;
using KlingPS.Core.Models;

namespace KlingPS.Core.Validation
{
    /// <summary>
    /// An input refused locally, before any request was sent. <see cref="ErrorId"/> is stable, so that
    /// scripts and the cmdlets' ErrorRecord ids can rely on it; the message names the item, the rule
    /// and the value found.
    /// </summary>
    public sealed class KlingValidationException : KlingApiException
    {
        public KlingValidationException(string errorId, ValidationCategory category, string rule, object? item, string target, string message)
            : base(KlingErrorKind.Validation, message)
        {
            ErrorId = errorId;
            Category = category;
            Rule = rule;
            Item = item;
            Target = target;
        }

        /// <summary>Which rule failed, e.g. ImageTooSmall; see <see cref="ValidationErrorIds"/>.</summary>
        public string ErrorId { get; }
        /// <summary>The error category the cmdlets report.</summary>
        public ValidationCategory Category { get; }
        /// <summary>The rule in a few words, e.g. "each side at least 300 px".</summary>
        public string Rule { get; }
        /// <summary>What the user passed: the path (string) of a file, the <see cref="System.Uri"/> of a URL,
        /// the <see cref="KlingImage"/> of Base64 text, the external task id, or the request for a rule about the request.</summary>
        public object? Item { get; }
    }
}
