namespace Monitoring.AppHost;

/// <summary>A Prometheus node-exporter (host CPU, memory, disk, network) running in a container.</summary>
/// <param name="name">The resource name.</param>
public class NodeExporterResource(string name) : ContainerResource(name)
{
    internal const string PrimaryEndpointName = "http";
    internal const int HttpPort = 9100;

    private EndpointReference? _primaryEndpoint;

    /// <summary>The metrics endpoint.</summary>
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);
}
