using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using KlingPS.Core.Models;
using KlingPS.Core.Wire;

namespace KlingPS.Core.Client
{
    /// <summary>
    /// A create request's JSON body. File images are not held in memory: the JSON is serialized with a
    /// unique marker in their place, and at send time each marker is replaced by the file's bytes,
    /// Base64-encoded chunk by chunk straight into the request stream. Base64 needs no JSON escaping.
    /// The content can be sent again (retries re-read the files).
    /// </summary>
    internal sealed class RequestBody : HttpContent
    {
        private const int ChunkBytes = 3 * 16 * 1024; // a multiple of 3, so chunks encode without padding
        private readonly List<byte[]> _parts = new List<byte[]>();
        private readonly List<KlingImage> _files = new List<KlingImage>();

        private RequestBody(byte[] skeleton, string marker, List<KlingImage> files)
        {
            // Split the skeleton at each "<marker><index>" string; the files list gives the order of indexes.
            var markerBytes = Encoding.ASCII.GetBytes("\"" + marker);
            var start = 0;
            while (true)
            {
                var at = IndexOf(skeleton, markerBytes, start);
                if (at < 0) break;
                var end = Array.IndexOf(skeleton, (byte)'"', at + markerBytes.Length);
                var index = int.Parse(Encoding.ASCII.GetString(skeleton, at + markerBytes.Length, end - at - markerBytes.Length), CultureInfo.InvariantCulture);
                _parts.Add(Slice(skeleton, start, at + 1)); // keep the opening quote
                _files.Add(files[index]);
                start = end; // the closing quote starts the next part
            }
            _parts.Add(Slice(skeleton, start, skeleton.Length));
            Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        /// <summary>The JSON as text with file images shown by name; for -Verbose and tests, never for the wire.</summary>
        public string Preview { get; private set; } = string.Empty;

        /// <summary>The body of a create request, sent with <paramref name="externalTaskId"/>.</summary>
        public static RequestBody For(KlingVideoRequest r, string externalTaskId)
        {
            var images = new ImageSlots();
            var body = new VideoCreateBody
            {
                ModelName = r.Model,
                Prompt = r.Prompt,
                NegativePrompt = r.NegativePrompt,
                CfgScale = r.CfgScale,
                Mode = r.Mode,
                Duration = r.Duration?.ToString(CultureInfo.InvariantCulture),
                StaticMask = r.StaticMask == null ? null : images.Value(r.StaticMask),
                DynamicMasks = Masks(r.DynamicMasks, images),
                CallbackUrl = r.CallbackUrl?.ToString(),
                ExternalTaskId = externalTaskId,
            };
            switch (r)
            {
                case ImageVideoRequest single:
                    body.Image = images.Value(single.Image);
                    body.ImageTail = single.ImageTail == null ? null : images.Value(single.ImageTail);
                    break;
                case MultiImageVideoRequest multi:
                    body.ImageList = multi.Images.Select(i => new ImageListItem { Image = images.Value(i) }).ToList();
                    body.AspectRatio = multi.AspectRatio;
                    break;
            }
            return images.Build(JsonSerializer.SerializeToUtf8Bytes(body, KlingJson.Context.VideoCreateBody));
        }

        /// <summary>The JSON a request would send, files shown by name: what a journal key is made of.</summary>
        public static string PreviewOf(KlingVideoRequest r)
        {
            using var body = For(r, r.ExternalTaskId ?? "(generated)");
            return body.Preview;
        }

        private static List<DynamicMaskBody>? Masks(IList<DynamicMask> masks, ImageSlots images) =>
            masks.Count == 0 ? null : masks.Select(m => new DynamicMaskBody
            {
                Mask = images.Value(m.Mask),
                Trajectories = m.Trajectory.Select(p => new PointBody { X = p.X, Y = p.Y }).ToList(),
            }).ToList();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var buffer = new byte[ChunkBytes];
            for (var i = 0; i < _parts.Count; i++)
            {
                await stream.WriteAsync(_parts[i], 0, _parts[i].Length).ConfigureAwait(false);
                if (i < _files.Count) await WriteBase64Async(_files[i], stream, buffer).ConfigureAwait(false);
            }
        }

        private static async Task WriteBase64Async(KlingImage image, Stream output, byte[] buffer)
        {
            using var file = image.OpenRead();
            var expected = image.Info?.ByteLength ?? file.Length;
            long total = 0;
            while (true)
            {
                // Fill the buffer completely so that only the last chunk can need Base64 padding.
                var filled = 0;
                int read;
                while (filled < buffer.Length && (read = await file.ReadAsync(buffer, filled, buffer.Length - filled).ConfigureAwait(false)) > 0) filled += read;
                if (filled == 0) break;
                total += filled;
                var text = Encoding.ASCII.GetBytes(Convert.ToBase64String(buffer, 0, filled));
                await output.WriteAsync(text, 0, text.Length).ConfigureAwait(false);
                if (filled < buffer.Length) break;
            }
            // The length was announced in Content-Length; a file that changed since it was checked would corrupt the body.
            if (total != expected) throw new IOException(Messages.FileChanged(image.Path!, expected, total));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _parts.Sum(p => (long)p.Length);
            foreach (var f in _files)
            {
                var bytes = f.Info?.ByteLength ?? new FileInfo(f.Path!).Length;
                length += (bytes + 2) / 3 * 4;
            }
            return true;
        }

        private static int IndexOf(byte[] haystack, byte[] needle, int start)
        {
            for (var i = start; i <= haystack.Length - needle.Length; i++)
            {
                var j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return i;
            }
            return -1;
        }

        private static byte[] Slice(byte[] source, int from, int to)
        {
            var part = new byte[to - from];
            Buffer.BlockCopy(source, from, part, 0, part.Length);
            return part;
        }

        /// <summary>Gives each image its JSON value: inline text, or a marker for a file to stream.</summary>
        private sealed class ImageSlots
        {
            private readonly string _marker = "klingps-file-" + Guid.NewGuid().ToString("N") + "-";
            private readonly List<KlingImage> _files = new List<KlingImage>();

            public string Value(KlingImage image)
            {
                switch (image.Kind)
                {
                    case KlingImageKind.Url: return image.Url!.OriginalString; // as given: re-escaping could change a signed URL
                    case KlingImageKind.Base64: return image.Base64!;
                    default:
                        _files.Add(image);
                        return _marker + (_files.Count - 1).ToString(CultureInfo.InvariantCulture);
                }
            }

            public RequestBody Build(byte[] json)
            {
                var preview = Encoding.UTF8.GetString(json);
                for (var i = 0; i < _files.Count; i++)
                    preview = preview.Replace(_marker + i.ToString(CultureInfo.InvariantCulture), "<Base64 of " + _files[i].Name + ">");
                return new RequestBody(json, _marker, _files) { Preview = preview };
            }
        }
    }
}
