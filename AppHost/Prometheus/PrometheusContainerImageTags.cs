namespace Aspire.Hosting.ApplicationModel;

/// <summary>The official Prometheus image, pinned.</summary>
internal static class PrometheusContainerImageTags
{
    /// <summary>docker.io</summary>
    public const string Registry = "docker.io";

    /// <summary>prom/prometheus</summary>
    public const string Image = "prom/prometheus";

    /// <summary>v3.5.0 (the v3.5 long-term-support line)</summary>
    public const string Tag = "v3.5.0";
}
