namespace Aspire.Hosting.ApplicationModel;

/// <summary>The official node-exporter image, pinned.</summary>
internal static class NodeExporterContainerImageTags
{
    /// <summary>docker.io</summary>
    public const string Registry = "docker.io";

    /// <summary>prom/node-exporter</summary>
    public const string Image = "prom/node-exporter";

    /// <summary>v1.9.1</summary>
    public const string Tag = "v1.9.1";
}
