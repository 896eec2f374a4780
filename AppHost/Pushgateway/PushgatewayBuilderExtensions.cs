namespace Monitoring.AppHost;

/// <summary>Adds a Prometheus Pushgateway to the application model.</summary>
public static class PushgatewayBuilderExtensions
{
    private const string DataMountPath = "/pushgateway";

    /// <summary>The file, in the data volume, the pushed metrics are kept in (<c>--persistence.file</c>).</summary>
    internal const string PersistenceFile = $"{DataMountPath}/metrics";

    /// <summary>
    /// Adds a Pushgateway container. A job pushes with <c>PUT /metrics/job/&lt;job&gt;</c> (Prometheus' text format) when
    /// it has run; readiness (<c>/-/ready</c>) is the health check. Scrape it with
    /// <c>WithScrapeTarget("pushgateway", ...)</c>: that job of <c>prometheus.yml</c> keeps the pushed labels.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="port">The host port jobs on the host push to; random when not given.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<PushgatewayResource> AddPushgateway(this IDistributedApplicationBuilder builder, [ResourceName] string name, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        return builder.AddResource(new PushgatewayResource(name))
            .WithImage(PinnedImages.Pushgateway.Image, PinnedImages.Pushgateway.Tag)
            .WithImageRegistry(PinnedImages.Pushgateway.Registry)
            .WithHttpEndpoint(port: port, targetPort: PushgatewayResource.HttpPort, name: PushgatewayResource.PrimaryEndpointName)
            .WithHttpHealthCheck("/-/ready", endpointName: PushgatewayResource.PrimaryEndpointName)
            .WithUrlForEndpoint(PushgatewayResource.PrimaryEndpointName, url => url.DisplayText = "Pushgateway");
    }

    /// <summary>
    /// Keeps the pushed metrics in a named volume, so a batch job's last push survives restarts: without it a restart
    /// forgets every job, and one that has stopped pushing is no longer seen to be late. The Pushgateway writes them
    /// to <c>--persistence.file</c> every <c>--persistence.interval</c> (5 minutes by default) and when it stops.
    /// </summary>
    /// <param name="builder">The Pushgateway resource builder.</param>
    /// <param name="name">The volume name; generated from the application and resource names when not given.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<PushgatewayResource> WithDataVolume(this IResourceBuilder<PushgatewayResource> builder, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithVolume(name ?? VolumeNameGenerator.Generate(builder, "data"), DataMountPath)
            .WithArgs($"--persistence.file={PersistenceFile}");
    }
}
