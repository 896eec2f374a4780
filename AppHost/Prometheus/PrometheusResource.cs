namespace Monitoring.AppHost;

/// <summary>A Prometheus server running in a container.</summary>
/// <param name="name">The resource name.</param>
/// <param name="generatedDirectory">The host folder the AppHost writes scrape targets to, mounted at <c>/aspire</c>.</param>
public class PrometheusResource(string name, string generatedDirectory) : ContainerResource(name)
{
    internal const string PrimaryEndpointName = "http";
    internal const int HttpPort = 9090;

    private EndpointReference? _primaryEndpoint;

    /// <summary>The HTTP endpoint: the UI and the HTTP API.</summary>
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    /// <summary>The host folder of the generated files (<c>targets/*.json</c>, and <c>prometheus.yml</c> when intervals are overridden).</summary>
    public string GeneratedDirectory { get; } = generatedDirectory;

    /// <summary>The checked-in configuration folder mounted at <c>/etc/prometheus</c>.</summary>
    public string ConfigDirectory { get; internal set; } = "";

    /// <summary>The scrape interval the configuration is run with.</summary>
    public string ScrapeInterval { get; internal set; } = "15s";

    /// <summary>The rule evaluation interval the configuration is run with.</summary>
    public string EvaluationInterval { get; internal set; } = "15s";

    /// <summary>The longest <c>for</c> an alert waits in this run, or <see langword="null"/> when the rules run as written.</summary>
    public string? MaxAlertFor { get; internal set; }

    /// <summary>How long Prometheus waits before sending a firing alert again, or <see langword="null"/> for its default (1m).</summary>
    public string? AlertResendDelay { get; internal set; }
}
