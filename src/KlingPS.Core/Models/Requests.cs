using System;
using System.Collections.Generic;

namespace KlingPS
{
    /// <summary>What to send to POST /kling/v1/videos/image2video. Null members are left out of the request.</summary>
    public sealed class ImageVideoRequest
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

    /// <summary>What to send to POST /kling/v1/videos/multi-image2video.</summary>
    public sealed class MultiImageVideoRequest
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

    /// <summary>One motion-brush group: the painted area and the path it follows.</summary>
    public sealed class DynamicMask
    {
        public DynamicMask(KlingImage mask, IEnumerable<TrajectoryPoint> trajectory)
        {
            Mask = mask ?? throw new ArgumentNullException(nameof(mask));
            Trajectory = new List<TrajectoryPoint>(trajectory ?? throw new ArgumentNullException(nameof(trajectory)));
        }

        /// <summary>The painted area (same size as the other masks, same aspect ratio as the image).</summary>
        public KlingImage Mask { get; }
        /// <summary>2 to 77 points in pixels, origin at the bottom-left of the image, in order of movement.</summary>
        public IReadOnlyList<TrajectoryPoint> Trajectory { get; }

        public override string ToString() => $"{Mask} ({Trajectory.Count} points)";
    }

    /// <summary>A point of a trajectory, in pixels from the bottom-left corner.</summary>
    public readonly struct TrajectoryPoint : IEquatable<TrajectoryPoint>
    {
        public TrajectoryPoint(int x, int y) { X = x; Y = y; }
        public int X { get; }
        public int Y { get; }
        public bool Equals(TrajectoryPoint other) => X == other.X && Y == other.Y;
        public override bool Equals(object? obj) => obj is TrajectoryPoint p && Equals(p);
        public override int GetHashCode() => (X * 397) ^ Y;
        public override string ToString() => $"({X},{Y})";
    }
}
