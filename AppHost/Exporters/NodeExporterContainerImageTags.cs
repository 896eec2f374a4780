
namespace Monitoring.AppHost;

/// <summary>The official node-exporter image, pinned.</summary>
internal static class NodeExporterContainerImageTags
{
    /// <summary>The registry, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Registry = PinnedImages.NodeExporter.Registry;

    /// <summary>The image, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Image = PinnedImages.NodeExporter.Image;

    /// <summary>The tag, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Tag = PinnedImages.NodeExporter.Tag;
}
