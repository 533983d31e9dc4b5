using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using KlingPS.Core.Models;

namespace KlingPS.Infrastructure
{
    /// <summary>Turns what a user typed for an image into a <see cref="KlingImage"/>: a URL, Base64 text, or a path of the current provider.</summary>
    internal static class ImageArguments
    {
        public static KlingImage Resolve(PSCmdlet cmdlet, string value)
        {
            var text = value.Trim();
            if (text.IndexOf("://", StringComparison.Ordinal) > 0 || text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
                return KlingImage.FromText(text);
            var path = cmdlet.GetUnresolvedProviderPathFromPSPath(text);
            if (File.Exists(path) || Directory.Exists(path) || !LooksLikeBase64(text)) return KlingImage.FromFile(path);
            return KlingImage.FromBase64(text);
        }

        /// <summary>
        /// What one -Path value names: a URL as it is; a path without wildcards as it is (the checks before sending report it
        /// missing, or a folder); else the files and folders the provider expands the pattern to, backtick escapes honoured.
        /// </summary>
        /// <exception cref="ItemNotFoundException">A pattern matches nothing.</exception>
        public static IReadOnlyList<KlingImage> FromPath(PSCmdlet cmdlet, string path)
        {
            if (path.IndexOf("://", StringComparison.Ordinal) > 0) return new[] { KlingImage.FromText(path) };
            if (!IsPattern(path)) return new[] { KlingImage.FromFile(cmdlet.GetUnresolvedProviderPathFromPSPath(path)) };
            var images = new List<KlingImage>();
            foreach (var file in cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _)) images.Add(KlingImage.FromFile(file));
            // The provider returns nothing, silently, for a pattern that matches nothing.
            if (images.Count == 0) throw new ItemNotFoundException(Messages.NoMatch(path));
            return images;
        }

        /// <summary>Wildcards, or escapes that only the provider's globbing removes ('owl `[1`].png').</summary>
        private static bool IsPattern(string path) => WildcardPattern.ContainsWildcardCharacters(path) || path.IndexOf('`') >= 0;

        private static bool LooksLikeBase64(string text)
        {
            if (text.Length < 64) return false;
            foreach (var c in text)
                if (!(char.IsLetterOrDigit(c) || c == '+' || c == '/' || c == '=' || char.IsWhiteSpace(c))) return false;
            return true;
        }
    }
}
