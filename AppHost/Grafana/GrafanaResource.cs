namespace Monitoring.AppHost;

/// <summary>A Grafana server running in a container, with provisioned datasources and dashboards.</summary>
/// <param name="name">The resource name.</param>
/// <param name="adminPassword">The admin password parameter (secret).</param>
public class GrafanaResource(string name, ParameterResource adminPassword) : ContainerResource(name)
{
    internal const string PrimaryEndpointName = "http";
    internal const int HttpPort = 3000;

    /// <summary>The admin user's name.</summary>
    public const string AdminUser = "admin";

    private EndpointReference? _primaryEndpoint;

    /// <summary>The UI and API endpoint.</summary>
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    /// <summary>The admin password: a secret parameter, applied on every start (not only on the first boot of the data volume).</summary>
    public ParameterResource AdminPassword { get; } = adminPassword;
}
