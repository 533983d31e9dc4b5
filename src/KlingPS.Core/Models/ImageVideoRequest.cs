using System;
using System.Collections.Generic;

namespace KlingPS.Core.Models
{
    /// <summary>What to send to POST /kling/v1/videos/image2video. Null members are left out of the request.</summary>
    internal sealed class ImageVideoRequest
    {
        public ImageVideoRequest(KlingImage image) { Image = image ?? throw new ArgumentNullException(nameof(image)); }

        /// <summary>The first frame.</summary>
        public KlingImage Image { get; }
        /// <summary>What should happen (at most 2500 characters).</summary>
        public string? Prompt { get; set; }
        /// <summary>What should not appear (at most 2500 characters).</summary>
        public string? NegativePrompt { get; set; }
        /// <summary>model_name, e.g. kling-v2-6; the service's default when null.</summary>
        public string? Model { get; set; }
        /// <summary>std or pro.</summary>
        public string? Mode { get; set; }
        /// <summary>Seconds: 5 or 10 (sent as a string).</summary>
        public int? Duration { get; set; }
        /// <summary>Prompt adherence, 0 to 1.</summary>
        public double? CfgScale { get; set; }
        /// <summary>The last frame (excludes masks).</summary>
        public KlingImage? ImageTail { get; set; }
        /// <summary>Areas that stay still (motion brush).</summary>
        public KlingImage? StaticMask { get; set; }
        /// <summary>Areas that move along trajectories (motion brush), at most 6.</summary>
        public IList<DynamicMask> DynamicMasks { get; } = new List<DynamicMask>();
        /// <summary>Where the service posts status changes.</summary>
        public Uri? CallbackUrl { get; set; }
        /// <summary>The caller's unique id for the task; the client makes one when null, so that retries are idempotent.</summary>
        public string? ExternalTaskId { get; set; }
    }
}
