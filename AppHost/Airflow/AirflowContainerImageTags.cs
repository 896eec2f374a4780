
namespace Monitoring.AppHost;

/// <summary>The official Apache Airflow image, pinned.</summary>
internal static class AirflowContainerImageTags
{
    /// <summary>The registry, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Registry = PinnedImages.Airflow.Registry;

    /// <summary>The image, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Image = PinnedImages.Airflow.Image;

    /// <summary>The tag, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Tag = PinnedImages.Airflow.Tag;
}

/// <summary>The official statsd-exporter image, pinned.</summary>
internal static class StatsdExporterContainerImageTags
{
    /// <summary>The registry, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Registry = PinnedImages.StatsdExporter.Registry;

    /// <summary>The image, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Image = PinnedImages.StatsdExporter.Image;

    /// <summary>The tag, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Tag = PinnedImages.StatsdExporter.Tag;
}
