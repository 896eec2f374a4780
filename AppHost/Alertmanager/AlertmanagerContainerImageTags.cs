
namespace Monitoring.AppHost;

/// <summary>The official Alertmanager image, pinned.</summary>
internal static class AlertmanagerContainerImageTags
{
    /// <summary>The registry, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Registry = PinnedImages.Alertmanager.Registry;

    /// <summary>The image, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Image = PinnedImages.Alertmanager.Image;

    /// <summary>The tag, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Tag = PinnedImages.Alertmanager.Tag;
}
