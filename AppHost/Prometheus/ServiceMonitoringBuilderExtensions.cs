namespace Monitoring.AppHost;

/// <summary>Monitors a .NET service of the application model: one call, and its metrics, alerts and dashboard follow.</summary>
public static class ServiceMonitoringBuilderExtensions
{
    /// <summary>The <c>prometheus.yml</c> job that scrapes every monitored service (each target under a job of its own).</summary>
    public const string ServicesJob = "services";

    /// <summary>The target label that marks a monitored service; the service rules and dashboard select on it.</summary>
    public const string KindLabel = "kind";

    /// <summary>The value of <see cref="KindLabel"/> for a monitored service.</summary>
    public const string ServiceKind = "service";

    /// <summary>
    /// Has Prometheus scrape a service's <c>/metrics</c> (ServiceDefaults maps it: OpenTelemetry's ASP.NET Core,
    /// HttpClient and .NET runtime metrics, and the service's own meters) under a job named after the resource, with
    /// <c>kind="service"</c> on every series: the service rules of <c>alerts.yml</c> (error ratio, p99 latency, target
    /// down, thread-pool starvation, GC time) and the ".NET services" dashboard cover it from then on. Works for a
    /// project (reached from the Prometheus container through Aspire's container tunnel) and for a container.
    /// </summary>
    /// <typeparam name="T">The service's resource type.</typeparam>
    /// <param name="service">The service.</param>
    /// <param name="prometheus">The Prometheus that scrapes it.</param>
    /// <param name="endpointName">The endpoint serving <c>/metrics</c>.</param>
    /// <returns>The service's builder.</returns>
    public static IResourceBuilder<T> WithMonitoring<T>(this IResourceBuilder<T> service, IResourceBuilder<PrometheusResource> prometheus, string endpointName = "http")
        where T : IResourceWithEndpoints
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(prometheus);

        prometheus.WithScrapeTarget(ServicesJob, service, endpointName, labels: new Dictionary<string, string>
        {
            ["job"] = service.Resource.Name,
            [KindLabel] = ServiceKind,
        });
        return service;
    }
}
