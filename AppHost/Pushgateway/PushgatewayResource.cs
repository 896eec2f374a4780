namespace Monitoring.AppHost;

/// <summary>
/// A Prometheus Pushgateway running in a container: batch jobs and short-lived processes push their metrics to it at
/// the end of a run, and Prometheus scrapes them from it, keeping the labels they pushed (<c>honor_labels</c>).
/// </summary>
/// <param name="name">The resource name.</param>
public class PushgatewayResource(string name) : ContainerResource(name)
{
    internal const string PrimaryEndpointName = "http";
    internal const int HttpPort = 9091;

    private EndpointReference? _primaryEndpoint;

    /// <summary>The endpoint jobs push to (<c>/metrics/job/&lt;job&gt;</c>) and Prometheus scrapes (<c>/metrics</c>).</summary>
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);
}
