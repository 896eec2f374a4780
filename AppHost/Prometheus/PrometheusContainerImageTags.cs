
namespace Monitoring.AppHost;

/// <summary>The official Prometheus image, pinned.</summary>
internal static class PrometheusContainerImageTags
{
    /// <summary>The registry, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Registry = PinnedImages.Prometheus.Registry;

    /// <summary>The image, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Image = PinnedImages.Prometheus.Image;

    /// <summary>The tag, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Tag = PinnedImages.Prometheus.Tag;
}
