namespace Monitoring.AppHost;

/// <summary>A Prometheus postgres-exporter running in a container.</summary>
/// <param name="name">The resource name.</param>
public class PostgresExporterResource(string name) : ContainerResource(name)
{
    internal const string PrimaryEndpointName = "http";
    internal const int HttpPort = 9187;

    private EndpointReference? _primaryEndpoint;

    /// <summary>The metrics endpoint.</summary>
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);
}
