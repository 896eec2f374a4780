namespace Monitoring.AppHost;

/// <summary>A Prometheus blackbox-exporter (probes HTTP endpoints from outside) running in a container.</summary>
/// <param name="name">The resource name.</param>
public class BlackboxExporterResource(string name) : ContainerResource(name)
{
    internal const string PrimaryEndpointName = "http";
    internal const int HttpPort = 9115;

    private EndpointReference? _primaryEndpoint;

    /// <summary>The exporter's endpoint (<c>/probe</c>, <c>/metrics</c>).</summary>
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);
}
