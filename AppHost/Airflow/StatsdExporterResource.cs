namespace Monitoring.AppHost;

/// <summary>A statsd-exporter (StatsD in, Prometheus metrics out) running in a container.</summary>
/// <param name="name">The resource name.</param>
public class StatsdExporterResource(string name) : ContainerResource(name)
{
    internal const string PrimaryEndpointName = "http";
    internal const string StatsdEndpointName = "statsd";
    internal const int HttpPort = 9102;
    internal const int StatsdPort = 9125;

    private EndpointReference? _statsdEndpoint;

    /// <summary>The UDP endpoint StatsD clients send to, as containers on the Aspire network see it.</summary>
    public EndpointReference StatsdEndpoint => _statsdEndpoint ??= new(this, StatsdEndpointName, KnownNetworkIdentifiers.DefaultAspireContainerNetwork);
}
