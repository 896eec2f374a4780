namespace Aspire.Hosting.ApplicationModel;

/// <summary>The official Apache Kafka image (KRaft, no ZooKeeper), pinned.</summary>
internal static class KafkaContainerImageTags
{
    /// <summary>docker.io</summary>
    public const string Registry = "docker.io";

    /// <summary>apache/kafka</summary>
    public const string Image = "apache/kafka";

    /// <summary>4.1.0</summary>
    public const string Tag = "4.1.0";
}

/// <summary>The official kafka-exporter image, pinned.</summary>
internal static class KafkaExporterContainerImageTags
{
    /// <summary>docker.io</summary>
    public const string Registry = "docker.io";

    /// <summary>danielqsj/kafka-exporter</summary>
    public const string Image = "danielqsj/kafka-exporter";

    /// <summary>v1.9.0</summary>
    public const string Tag = "v1.9.0";
}
