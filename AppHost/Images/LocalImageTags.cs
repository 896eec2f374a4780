namespace Monitoring.AppHost;

/// <summary>
/// The images <c>eng/images/build.sh</c> builds from Debian packages, by the official image each one stands in for:
/// every one carries the upstream version <c>eng/images/pins.txt</c> pins for that official image.
/// </summary>
internal static class LocalImageTags
{
    /// <summary>The registry name of images that live only on this machine (Docker and Podman both accept it).</summary>
    public const string Registry = "localhost";

    /// <summary>The Probes service's image (used when Probes runs as a container).</summary>
    public const string ProbesImage = "monitoring/probes";

    /// <summary>The Probes image's tag: it is rebuilt from the working tree, so it is not versioned.</summary>
    public const string ProbesTag = "dev";

    /// <summary>
    /// Components that have no local image, with the reason: with <see cref="ImageSource.Local"/> they are switched off,
    /// and the AppHost says so in its log and in the dashboard.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Unavailable = PinnedImages.All
        .Where(p => !p.HasLocalImage)
        .ToDictionary(p => p.Component, p => $"{p.Component} is not packaged by Debian; run with ImageSource=Official to pull {p.Image}.");

    /// <summary>The local image of each official image that has one, keyed by the official image name (without registry).</summary>
    public static readonly IReadOnlyDictionary<string, PinnedImage> ByOfficialImage = PinnedImages.All
        .Where(p => p.HasLocalImage)
        .ToDictionary(p => p.Image);
}
