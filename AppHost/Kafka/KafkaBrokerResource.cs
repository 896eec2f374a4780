namespace Monitoring.AppHost;

/// <summary>
/// A single-node Apache Kafka broker (KRaft: broker and controller in one process) running in a container. Host
/// processes connect through <see cref="PrimaryEndpoint"/> (the connection string); containers on the Aspire network
/// through <see cref="InternalEndpoint"/>, which the broker advertises under its network alias.
/// </summary>
/// <param name="name">The resource name.</param>
public class KafkaBrokerResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";
    internal const string InternalEndpointName = "internal";

    private EndpointReference? _primaryEndpoint;
    private EndpointReference? _internalEndpoint;

    /// <summary>The listener for host processes (advertised as <c>localhost</c> and the host port).</summary>
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName, KnownNetworkIdentifiers.LocalhostNetwork);

    /// <summary>The listener for containers (advertised as the broker's alias on the Aspire network).</summary>
    public EndpointReference InternalEndpoint => _internalEndpoint ??= new(this, InternalEndpointName, KnownNetworkIdentifiers.DefaultAspireContainerNetwork);

    /// <summary>The bootstrap servers for host processes: <c>localhost:{port}</c>.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}
