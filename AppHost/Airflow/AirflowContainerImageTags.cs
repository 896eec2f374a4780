namespace Aspire.Hosting.ApplicationModel;

/// <summary>The official Apache Airflow image, pinned.</summary>
internal static class AirflowContainerImageTags
{
    /// <summary>docker.io</summary>
    public const string Registry = "docker.io";

    /// <summary>apache/airflow</summary>
    public const string Image = "apache/airflow";

    /// <summary>3.1.3</summary>
    public const string Tag = "3.1.3";
}

/// <summary>The official statsd-exporter image, pinned.</summary>
internal static class StatsdExporterContainerImageTags
{
    /// <summary>docker.io</summary>
    public const string Registry = "docker.io";

    /// <summary>prom/statsd-exporter</summary>
    public const string Image = "prom/statsd-exporter";

    /// <summary>v0.28.0</summary>
    public const string Tag = "v0.28.0";
}
