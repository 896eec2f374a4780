
namespace Monitoring.AppHost;

/// <summary>Adds a blackbox-exporter and the HTTP endpoints it probes.</summary>
public static class BlackboxExporterBuilderExtensions
{
    private const string ConfigMountPath = "/etc/blackbox_exporter";

    /// <summary>
    /// Adds a blackbox-exporter container reading its modules from <c>config.yml</c> in <paramref name="configDirectory"/>
    /// (mounted read-only at <c>/etc/blackbox_exporter</c>); <c>/-/healthy</c> is its health check.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="configDirectory">The folder holding <c>config.yml</c>.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<BlackboxExporterResource> AddBlackboxExporter(this IDistributedApplicationBuilder builder, [ResourceName] string name, string configDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(configDirectory);

        ProvisioningValidation.ValidateYamlAtStart(builder, Path.Combine(Path.GetFullPath(configDirectory), "config.yml"));
        return builder.AddResource(new BlackboxExporterResource(name))
            .WithImage(PinnedImages.BlackboxExporter.Image, PinnedImages.BlackboxExporter.Tag)
            .WithImageRegistry(PinnedImages.BlackboxExporter.Registry)
            .WithHttpEndpoint(targetPort: BlackboxExporterResource.HttpPort, name: BlackboxExporterResource.PrimaryEndpointName)
            .WithBindMount(Path.GetFullPath(configDirectory), ConfigMountPath, isReadOnly: true)
            .WithConfigCheck("blackbox_exporter", "config.yml", ["--config.check", $"--config.file={ConfigMountPath}/config.yml"], configDirectory, ConfigMountPath)
            .WithArgs($"--config.file={ConfigMountPath}/config.yml")
            .WithHttpHealthCheck("/-/healthy", endpointName: BlackboxExporterResource.PrimaryEndpointName);
    }

    /// <summary>Probes an HTTP endpoint of another resource, as the exporter's container sees it.</summary>
    /// <typeparam name="T">The probed resource's type.</typeparam>
    /// <param name="builder">The blackbox-exporter resource builder.</param>
    /// <param name="target">The probed resource.</param>
    /// <param name="path">The probed path (a health or readiness endpoint).</param>
    /// <param name="endpointName">The probed endpoint.</param>
    /// <param name="module">The module of <c>config.yml</c> to probe with.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<BlackboxExporterResource> WithHttpProbe<T>(
        this IResourceBuilder<BlackboxExporterResource> builder, IResourceBuilder<T> target, string path, string endpointName = "http", string module = "http_2xx")
        where T : IResourceWithEndpoints
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(target);

        var endpoint = ContainerNetworkReference.Reference(builder, target, endpointName, $"PROBE_TARGET_{target.Resource.Name}", path);
        return builder.WithAnnotation(new HttpProbeAnnotation(endpoint, path, module));
    }

    /// <summary>Has Prometheus scrape every probe of a blackbox-exporter under a job of <c>prometheus.yml</c>.</summary>
    /// <param name="builder">The Prometheus resource builder.</param>
    /// <param name="job">The job (its relabelling moves <c>__blackbox_address</c> to <c>__address__</c>).</param>
    /// <param name="exporter">The blackbox-exporter.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<PrometheusResource> WithBlackboxProbes(
        this IResourceBuilder<PrometheusResource> builder, string job, IResourceBuilder<BlackboxExporterResource> exporter)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(exporter);
        return builder.WithAnnotation(new BlackboxProbesAnnotation(job, exporter.Resource))
            .WithReferenceRelationship(exporter.Resource);
    }
}
