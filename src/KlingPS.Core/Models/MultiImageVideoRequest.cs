using System;
using System.Collections.Generic;

namespace KlingPS.Core.Models
{
    /// <summary>What to send to POST /kling/v1/videos/multi-image2video.</summary>
    internal sealed class MultiImageVideoRequest : KlingVideoRequest
    {
        private readonly List<KlingImage> _images;

        public MultiImageVideoRequest(IEnumerable<KlingImage> images)
        {
            _images = new List<KlingImage>(images ?? throw new ArgumentNullException(nameof(images)));
        }

        public override KlingRoute Route => KlingRoute.MultiImageToVideo;

        /// <summary>2 to 4 reference images.</summary>
        public IList<KlingImage> Images => _images;
        /// <summary>16:9, 9:16 or 1:1.</summary>
        public string? AspectRatio { get; set; }

        public override IReadOnlyList<KlingImage?> RouteImages => _images;

        /// <summary>Every image: the video is named after all of them (cat+dog.mp4), never like a single-image video of the first.</summary>
        public override IReadOnlyList<string> Sources => _images.ConvertAll(i => i.ToString());
    }
}
