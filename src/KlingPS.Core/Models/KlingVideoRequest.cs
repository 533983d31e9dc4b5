using System;
using System.Collections.Generic;

namespace KlingPS.Core.Models
{
    /// <summary>
    /// What to send to create a video: the settings both routes share. Null members are left out of the request.
    /// <see cref="ImageVideoRequest"/> and <see cref="MultiImageVideoRequest"/> add each route's images.
    /// </summary>
    internal abstract class KlingVideoRequest
    {
        /// <summary>The endpoint the request goes to, and the task is found on.</summary>
        public abstract KlingRoute Route { get; }
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
        /// <summary>Areas that stay still (motion brush).</summary>
        public KlingImage? StaticMask { get; set; }
        /// <summary>Areas that move along trajectories (motion brush), at most 6.</summary>
        public IList<DynamicMask> DynamicMasks { get; } = new List<DynamicMask>();
        /// <summary>Where the service posts status changes.</summary>
        public Uri? CallbackUrl { get; set; }
        /// <summary>The caller's unique id for the task; one is made when null, so that retries are idempotent.</summary>
        public string? ExternalTaskId { get; set; }

        /// <summary>The images the route itself takes, in request order (an entry may be null until validated).</summary>
        public abstract IReadOnlyList<KlingImage?> RouteImages { get; }

        /// <summary>Every image of the request in the order the body holds them, masks included.</summary>
        public IEnumerable<KlingImage> AllImages
        {
            get
            {
                foreach (var image in RouteImages) if (image != null) yield return image;
                if (StaticMask != null) yield return StaticMask;
                foreach (var mask in DynamicMasks) yield return mask.Mask;
            }
        }

        /// <summary>What the video is made from (the first image's path or URL): the task remembers it, and it names the saved file.</summary>
        public string? Source => Sources.Count > 0 ? Sources[0] : null;

        /// <summary>The images that name the video (the first frame; a multi-image request's every image), paths or URLs.</summary>
        public virtual IReadOnlyList<string> Sources => RouteImages.Count > 0 && RouteImages[0] != null ? new[] { RouteImages[0]!.ToString() } : Array.Empty<string>();

        /// <summary>A short name for messages: the first image's name.</summary>
        public string Name => (RouteImages.Count > 0 ? RouteImages[0]?.Name : null) ?? "multi-image request";

        /// <summary>
        /// Set by the validator once every rule passed (and the file and Base64 images' Info was read), so that sending does
        /// not read and check the images a second time. Sending still checks that a file kept the length it was checked with.
        /// </summary>
        internal bool IsValidated { get; set; }
    }
}
