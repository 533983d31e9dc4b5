namespace KlingPS.Emulator.Api;

/// <summary>The two creation routes; a task remembers its route and is found only on it.</summary>
internal static class Routes
{
    public const string ImageToVideo = "image2video";
    public const string MultiImageToVideo = "multi-image2video";

    public static bool IsKnown(string route) => route is ImageToVideo or MultiImageToVideo;
}
