using System;

namespace KlingPS.Core.Models
{
    /// <summary>The endpoint family a task was created on; a task is only found on its own route.</summary>
    /// <remarks>Based on long so that ConvertTo-Json writes the name, as for <see cref="KlingTaskStatus"/>.</remarks>
    public enum KlingRoute : long
    {
        /// <summary>POST /kling/v1/videos/image2video</summary>
        ImageToVideo,
        /// <summary>POST /kling/v1/videos/multi-image2video</summary>
        MultiImageToVideo,
    }

    internal static class KlingRouteExtensions
    {
        public static string PathSegment(this KlingRoute route) => route switch
        {
            KlingRoute.ImageToVideo => "image2video",
            KlingRoute.MultiImageToVideo => "multi-image2video",
            _ => throw new ArgumentOutOfRangeException(nameof(route)),
        };
    }
}
