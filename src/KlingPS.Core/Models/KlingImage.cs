using System;
using System.IO;

namespace KlingPS.Core.Models
{
    /// <summary>An image for a request: a local file (streamed as Base64 when sent), a public URL, or Base64 text.</summary>
    public sealed class KlingImage
    {
        private KlingImage(KlingImageKind kind, string? path, Uri? url, string? base64)
        {
            Kind = kind;
            Path = path;
            Url = url;
            Base64 = base64;
        }

        /// <summary>A local JPEG or PNG file; only its header is read until the request is sent.</summary>
        public static KlingImage FromFile(string fullPath)
        {
            if (string.IsNullOrEmpty(fullPath)) throw new ArgumentException("A path is required.", nameof(fullPath));
            return new KlingImage(KlingImageKind.File, System.IO.Path.GetFullPath(fullPath), null, null);
        }

        /// <summary>A public http(s) URL that the service downloads itself.</summary>
        public static KlingImage FromUrl(Uri url) => new KlingImage(KlingImageKind.Url, null, url ?? throw new ArgumentNullException(nameof(url)), null);

        /// <summary>Base64 text; a data: prefix is removed, since the service refuses it.</summary>
        public static KlingImage FromBase64(string base64)
        {
            if (base64 == null) throw new ArgumentNullException(nameof(base64));
            var text = base64.Trim();
            if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
            {
                var comma = text.IndexOf(',');
                text = comma < 0 ? string.Empty : text.Substring(comma + 1);
            }
            return new KlingImage(KlingImageKind.Base64, null, null, text);
        }

        /// <summary>Reads what a user typed: an absolute URL with a scheme is a URL, anything else that looks like Base64 is Base64.</summary>
        public static KlingImage FromText(string value)
        {
            if (value == null) throw new ArgumentNullException(nameof(value));
            var trimmed = value.Trim();
            if (trimmed.StartsWith("data:", StringComparison.OrdinalIgnoreCase)) return FromBase64(trimmed);
            if (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && trimmed.Contains("://")) return new KlingImage(KlingImageKind.Url, null, uri, null);
            return FromBase64(trimmed);
        }

        /// <summary>File, Url or Base64.</summary>
        public KlingImageKind Kind { get; }
        /// <summary>The full path of a file image.</summary>
        public string? Path { get; }
        /// <summary>The URL of a URL image.</summary>
        public Uri? Url { get; }
        /// <summary>The Base64 text of a Base64 image (without any data: prefix).</summary>
        internal string? Base64 { get; }

        /// <summary>Format and size, once the image has been checked.</summary>
        public ImageInfo? Info { get; internal set; }

        /// <summary>A short name for messages: the file name, the URL, or "Base64 image".</summary>
        public string Name => Kind switch
        {
            KlingImageKind.File => System.IO.Path.GetFileName(Path!),
            KlingImageKind.Url => Url!.ToString(),
            _ => "Base64 image",
        };

        internal Stream OpenRead() =>
            new FileStream(Path!, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);

        public override string ToString() => Kind == KlingImageKind.File ? Path! : Name;
    }

    /// <summary>How an image travels to the service.</summary>
    public enum KlingImageKind
    {
        /// <summary>A local file, sent as Base64.</summary>
        File,
        /// <summary>A public URL the service fetches.</summary>
        Url,
        /// <summary>Base64 text given by the caller.</summary>
        Base64,
    }
}
