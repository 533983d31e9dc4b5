using System.Linq;
using KlingPS.Core.Client;
using KlingPS.Core.Models;

namespace KlingPS.Core.Batch
{
    /// <summary>
    /// What makes two requests the same request for a journal: the route, every setting, and each image's identity (a file's
    /// full path and content, a URL as given, Base64 text). The same key in every run and every process over the same
    /// folder; a changed setting or a re-generated image file is another request.
    /// </summary>
    internal static class RequestKey
    {
        /// <summary>The key of a request; reads each file image once.</summary>
        public static string Of(KlingVideoRequest request) =>
            Of(request.Route + "|" + RequestBody.PreviewOf(request) + "|" + string.Join("|", request.AllImages.Select(Identity)));

        /// <summary>The key of a request's description: the first 16 bytes of its SHA-256, in hex.</summary>
        internal static string Of(string requestDescription) => Hashing.Sha256Hex(requestDescription).Substring(0, 32);

        // The preview shows a file by its name only, and inlines URLs and Base64 text.
        private static string Identity(KlingImage image)
        {
            if (image.Kind != KlingImageKind.File) return image.Kind.ToString();
            using var file = image.OpenRead();
            return image.Path + "#" + Hashing.Sha256Hex(file);
        }
    }
}
