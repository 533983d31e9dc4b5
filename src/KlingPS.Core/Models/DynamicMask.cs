using System;
using System.Collections.Generic;

namespace KlingPS.Core.Models
{
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
}
