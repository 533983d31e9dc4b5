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

        /// <summary>What one -Path value names: a URL as it is, else the files its wildcards match (ItemNotFoundException when none).</summary>
        public static IReadOnlyList<KlingImage> FromPath(PSCmdlet cmdlet, string path)
        {
            if (path.IndexOf("://", StringComparison.Ordinal) > 0) return new[] { KlingImage.FromText(path) };
            var images = new List<KlingImage>();
            foreach (var file in ExpandWildcards(cmdlet, path)) images.Add(KlingImage.FromFile(file));
            return images;
        }

        /// <summary>Expands -Path wildcards to files; a pattern that matches nothing is reported, not silently dropped.</summary>
        public static IEnumerable<string> ExpandWildcards(PSCmdlet cmdlet, string path)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(path))
            {
                yield return cmdlet.GetUnresolvedProviderPathFromPSPath(path);
                yield break;
            }
            var resolved = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _);
            foreach (var p in resolved) yield return p;
        }

        private static bool LooksLikeBase64(string text)
        {
            if (text.Length < 64) return false;
            foreach (var c in text)
                if (!(char.IsLetterOrDigit(c) || c == '+' || c == '/' || c == '=' || char.IsWhiteSpace(c))) return false;
            return true;
        }
    }
}
