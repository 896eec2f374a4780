namespace Aspire.Hosting.ApplicationModel;

/// <summary>The official Grafana image, pinned.</summary>
internal static class GrafanaContainerImageTags
{
    /// <summary>docker.io</summary>
    public const string Registry = "docker.io";

    /// <summary>grafana/grafana</summary>
    public const string Image = "grafana/grafana";

    /// <summary>12.2.1</summary>
    public const string Tag = "12.2.1";
}
