namespace Monitoring.AppHost;

/// <summary>
/// Has a Prometheus job scrape a blackbox-exporter once per probed URL: each URL is a target, and the
/// <c>__blackbox_address</c> label (moved to <c>__address__</c> by the job's relabelling) points at the exporter.
/// </summary>
/// <param name="job">The job in <c>prometheus.yml</c>.</param>
/// <param name="exporter">The blackbox-exporter.</param>
public sealed class BlackboxProbesAnnotation(string job, BlackboxExporterResource exporter) : IScrapeTargetSource
{
    /// <inheritdoc />
    public string Job { get; } = job;

    /// <inheritdoc />
    public IResource Owner => exporter;

    /// <inheritdoc />
    public async Task<IReadOnlyList<ScrapeTargetGroup>> ResolveAsync(PrometheusResource prometheus, CancellationToken cancellationToken)
    {
        var exporterAddress = await new EndpointReference(exporter, BlackboxExporterResource.PrimaryEndpointName, KnownNetworkIdentifiers.DefaultAspireContainerNetwork)
            .Property(EndpointProperty.HostAndPort)
            .GetValueAsync(new ValueProviderContext { Caller = prometheus, Network = KnownNetworkIdentifiers.DefaultAspireContainerNetwork }, cancellationToken)
            .ConfigureAwait(false);
        var asExporterSeesIt = new ValueProviderContext { Caller = exporter, Network = KnownNetworkIdentifiers.DefaultAspireContainerNetwork };

        var groups = new List<ScrapeTargetGroup>();
        foreach (var probe in exporter.Annotations.OfType<HttpProbeAnnotation>())
        {
            var url = await probe.Endpoint.GetValueAsync(asExporterSeesIt, cancellationToken).ConfigureAwait(false) + probe.Path;
            groups.Add(new([url], new Dictionary<string, string>
            {
                ["__blackbox_address"] = exporterAddress!,
                ["__param_module"] = probe.Module,
                ["aspire_resource"] = probe.Endpoint.Resource.Name,
            }));
        }

        return groups;
    }
}
