namespace Monitoring.AppHost;

/// <summary>One endpoint Prometheus scrapes, written to <c>/aspire/targets/{Job}.json</c>.</summary>
/// <param name="job">The scrape job (file name and <c>job</c> label).</param>
/// <param name="endpoint">The endpoint, resolved as Prometheus' container sees it.</param>
/// <param name="metricsPath">The path of the metrics (<c>__metrics_path__</c>).</param>
/// <param name="labels">Labels Prometheus puts on every series of the target (and on its <c>up</c>).</param>
public sealed class ScrapeTargetAnnotation(string job, EndpointReference endpoint, string metricsPath, IReadOnlyDictionary<string, string>? labels = null) : IScrapeTargetSource
{
    /// <inheritdoc />
    public string Job { get; } = job;

    /// <summary>The scraped endpoint.</summary>
    public EndpointReference Endpoint { get; } = endpoint;

    /// <summary>The path of the metrics.</summary>
    public string MetricsPath { get; } = metricsPath;

    /// <summary>Labels Prometheus puts on every series of the target.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; } = labels ?? new Dictionary<string, string>();

    /// <inheritdoc />
    public IResource Owner => Endpoint.Resource;

    /// <inheritdoc />
    public async Task<IReadOnlyList<ScrapeTargetGroup>> ResolveAsync(PrometheusResource prometheus, CancellationToken cancellationToken)
    {
        var context = new ValueProviderContext { Caller = prometheus, Network = KnownNetworkIdentifiers.DefaultAspireContainerNetwork };
        var address = await Endpoint.Property(EndpointProperty.HostAndPort).GetValueAsync(context, cancellationToken).ConfigureAwait(false);
        var labels = new Dictionary<string, string>(Labels) { ["__metrics_path__"] = MetricsPath, ["aspire_resource"] = Endpoint.Resource.Name };
        return [new([address!], labels)];
    }
}
