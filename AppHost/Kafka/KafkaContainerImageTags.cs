
namespace Monitoring.AppHost;

/// <summary>The official Apache Kafka image (KRaft, no ZooKeeper), pinned.</summary>
internal static class KafkaContainerImageTags
{
    /// <summary>The registry, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Registry = PinnedImages.Kafka.Registry;

    /// <summary>The image, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Image = PinnedImages.Kafka.Image;

    /// <summary>The tag, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Tag = PinnedImages.Kafka.Tag;
}

/// <summary>The official kafka-exporter image, pinned.</summary>
internal static class KafkaExporterContainerImageTags
{
    /// <summary>The registry, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Registry = PinnedImages.KafkaExporter.Registry;

    /// <summary>The image, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Image = PinnedImages.KafkaExporter.Image;

    /// <summary>The tag, as <c>eng/images/pins.txt</c> pins it.</summary>
    public const string Tag = PinnedImages.KafkaExporter.Tag;
}
