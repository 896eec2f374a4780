namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// One endpoint Prometheus scrapes. The AppHost writes it to <c>/aspire/targets/{Job}.json</c>, which the job of that
/// name in <c>prometheus.yml</c> reads through <c>file_sd_configs</c>.
/// </summary>
/// <param name="job">The scrape job (file name and <c>job</c> label).</param>
/// <param name="endpoint">The endpoint, resolved as Prometheus' container sees it.</param>
/// <param name="metricsPath">The path of the metrics (<c>__metrics_path__</c>).</param>
public sealed class ScrapeTargetAnnotation(string job, EndpointReference endpoint, string metricsPath) : IResourceAnnotation
{
    /// <summary>The scrape job.</summary>
    public string Job { get; } = job;

    /// <summary>The scraped endpoint.</summary>
    public EndpointReference Endpoint { get; } = endpoint;

    /// <summary>The path of the metrics.</summary>
    public string MetricsPath { get; } = metricsPath;
}
