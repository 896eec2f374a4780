
namespace Monitoring.AppHost;

/// <summary>The official Grafana image, pinned.</summary>
internal static class GrafanaContainerImageTags
{
    /// <summary>The registry, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Registry = PinnedImages.Grafana.Registry;

    /// <summary>The image, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Image = PinnedImages.Grafana.Image;

    /// <summary>The tag, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Tag = PinnedImages.Grafana.Tag;
}
