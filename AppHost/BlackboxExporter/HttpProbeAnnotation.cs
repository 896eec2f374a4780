namespace Monitoring.AppHost;

/// <summary>An HTTP endpoint the blackbox-exporter probes.</summary>
/// <param name="endpoint">The probed endpoint, as the exporter's container sees it.</param>
/// <param name="path">The probed path.</param>
/// <param name="module">The blackbox module (in <c>provisioning/blackbox/blackbox.yml</c>).</param>
public sealed class HttpProbeAnnotation(EndpointReference endpoint, string path, string module) : IResourceAnnotation
{
    /// <summary>The probed endpoint.</summary>
    public EndpointReference Endpoint { get; } = endpoint;

    /// <summary>The probed path.</summary>
    public string Path { get; } = path;

    /// <summary>The blackbox module.</summary>
    public string Module { get; } = module;
}
