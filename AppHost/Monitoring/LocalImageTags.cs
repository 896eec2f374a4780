namespace Monitoring.AppHost;

/// <summary>
/// The images <c>eng/images/build.sh</c> builds from Debian packages, by the official image each one stands in for.
/// Keep the tags in step with that script.
/// </summary>
internal static class LocalImageTags
{
    /// <summary>Podman's name for images that live only on this machine.</summary>
    public const string Registry = "localhost";

    /// <summary>The Probes service's image (used when Probes runs as a container).</summary>
    public const string ProbesImage = "monitoring/probes";

    /// <summary>The Probes image's tag: it is rebuilt from the working tree, so it is not versioned.</summary>
    public const string ProbesTag = "dev";

    /// <summary>
    /// Components that have no local image, with the reason: with <see cref="ImageSource.Local"/> they are switched off,
    /// and the AppHost says so in its log and in the dashboard.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Unavailable = new Dictionary<string, string>
    {
        ["grafana"] = "Grafana is not packaged by Debian; run with ImageSource=Official to pull grafana/grafana.",
        ["kafka"] = "Kafka is not packaged by Debian; run with ImageSource=Official to pull apache/kafka.",
        ["kafka-exporter"] = "kafka-exporter is not packaged by Debian; run with ImageSource=Official to pull danielqsj/kafka-exporter.",
        ["airflow"] = "Airflow is not packaged by Debian; run with ImageSource=Official to pull apache/airflow.",
        ["statsd-exporter"] = "statsd-exporter is not packaged by Debian; run with ImageSource=Official to pull prom/statsd-exporter.",
    };

    /// <summary>Local image and tag, keyed by the official image name (without registry).</summary>
    public static readonly IReadOnlyDictionary<string, (string Image, string Tag)> ByOfficialImage = new Dictionary<string, (string, string)>
    {
        ["prom/prometheus"] = ("monitoring/prometheus", "2.42.0"),
        ["prom/alertmanager"] = ("monitoring/alertmanager", "0.25.0"),
        ["prom/node-exporter"] = ("monitoring/node-exporter", "1.5.0"),
        ["library/postgres"] = ("monitoring/postgres", "15"),
        ["prometheuscommunity/postgres-exporter"] = ("monitoring/postgres-exporter", "0.11.1"),
        ["prom/blackbox-exporter"] = ("monitoring/blackbox-exporter", "0.23.0"),
    };
}
