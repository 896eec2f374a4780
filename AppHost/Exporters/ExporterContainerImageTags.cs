namespace Aspire.Hosting.ApplicationModel;

/// <summary>The official blackbox-exporter image, pinned.</summary>
internal static class BlackboxExporterContainerImageTags
{
    /// <summary>docker.io</summary>
    public const string Registry = "docker.io";

    /// <summary>prom/blackbox-exporter</summary>
    public const string Image = "prom/blackbox-exporter";

    /// <summary>v0.27.0</summary>
    public const string Tag = "v0.27.0";
}

/// <summary>The official postgres-exporter image, pinned.</summary>
internal static class PostgresExporterContainerImageTags
{
    /// <summary>quay.io</summary>
    public const string Registry = "quay.io";

    /// <summary>prometheuscommunity/postgres-exporter</summary>
    public const string Image = "prometheuscommunity/postgres-exporter";

    /// <summary>v0.17.1</summary>
    public const string Tag = "v0.17.1";
}
