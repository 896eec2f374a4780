namespace Aspire.Hosting.ApplicationModel;

/// <summary>The official Alertmanager image, pinned.</summary>
internal static class AlertmanagerContainerImageTags
{
    /// <summary>docker.io</summary>
    public const string Registry = "docker.io";

    /// <summary>prom/alertmanager</summary>
    public const string Image = "prom/alertmanager";

    /// <summary>v0.28.1</summary>
    public const string Tag = "v0.28.1";
}
