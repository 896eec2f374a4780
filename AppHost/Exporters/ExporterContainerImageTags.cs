
namespace Monitoring.AppHost;

/// <summary>The official blackbox-exporter image, pinned.</summary>
internal static class BlackboxExporterContainerImageTags
{
    /// <summary>The registry, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Registry = PinnedImages.BlackboxExporter.Registry;

    /// <summary>The image, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Image = PinnedImages.BlackboxExporter.Image;

    /// <summary>The tag, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Tag = PinnedImages.BlackboxExporter.Tag;
}

/// <summary>The official postgres-exporter image, pinned.</summary>
internal static class PostgresExporterContainerImageTags
{
    /// <summary>The registry, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Registry = PinnedImages.PostgresExporter.Registry;

    /// <summary>The image, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Image = PinnedImages.PostgresExporter.Image;

    /// <summary>The tag, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Tag = PinnedImages.PostgresExporter.Tag;
}
