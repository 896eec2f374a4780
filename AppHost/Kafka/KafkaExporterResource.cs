namespace Monitoring.AppHost;

/// <summary>A kafka-exporter (brokers, topics, partitions, consumer-group lag) running in a container.</summary>
/// <param name="name">The resource name.</param>
public class KafkaExporterResource(string name) : ContainerResource(name)
{
    internal const string PrimaryEndpointName = "http";
    internal const int HttpPort = 9308;

    private EndpointReference? _primaryEndpoint;

    /// <summary>The metrics endpoint.</summary>
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);
}
