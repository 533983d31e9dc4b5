using System;
using System.Collections.Generic;

namespace KlingPS.Core.Models
{
    /// <summary>What to send to POST /kling/v1/videos/image2video.</summary>
    internal sealed class ImageVideoRequest : KlingVideoRequest
    {
        public ImageVideoRequest(KlingImage image) { Image = image ?? throw new ArgumentNullException(nameof(image)); }

        public override KlingRoute Route => KlingRoute.ImageToVideo;

        /// <summary>The first frame.</summary>
        public KlingImage Image { get; }
        /// <summary>The last frame (excludes masks).</summary>
        public KlingImage? ImageTail { get; set; }

        public override IReadOnlyList<KlingImage?> RouteImages => ImageTail == null ? new[] { Image } : new[] { Image, ImageTail };
    }
}
