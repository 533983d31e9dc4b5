using System;
using System.Collections.Generic;

namespace KlingPS.Core.Models
{
    /// <summary>What to send to POST /kling/v1/videos/multi-image2video.</summary>
    internal sealed class MultiImageVideoRequest
    {
        public MultiImageVideoRequest(IEnumerable<KlingImage> images)
        {
            Images = new List<KlingImage>(images ?? throw new ArgumentNullException(nameof(images)));
        }

        /// <summary>2 to 4 reference images.</summary>
        public IList<KlingImage> Images { get; }
        public string? Prompt { get; set; }
        public string? NegativePrompt { get; set; }
        public string? Model { get; set; }
        public string? Mode { get; set; }
        public int? Duration { get; set; }
        public double? CfgScale { get; set; }
        /// <summary>16:9, 9:16 or 1:1.</summary>
        public string? AspectRatio { get; set; }
        public KlingImage? StaticMask { get; set; }
        public IList<DynamicMask> DynamicMasks { get; } = new List<DynamicMask>();
        public Uri? CallbackUrl { get; set; }
        public string? ExternalTaskId { get; set; }
    }
}
