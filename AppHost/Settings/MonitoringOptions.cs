using System.Text.RegularExpressions;

namespace Monitoring.AppHost;

/// <summary>How the Probes service runs.</summary>
public enum ProbesHosting
{
    /// <summary>As a .NET project on the host (the default: debuggable with F5).</summary>
    Project,

    /// <summary>
    /// As a container of its own, built by the orchestrator from the project's build output on the official ASP.NET
    /// Core runtime image, so Prometheus and Alertmanager reach it container to container; for where containers cannot
    /// reach host processes (Podman 4.3, see docs/setup.md).
    /// </summary>
    Container,
}

/// <summary>When the Probes service stands in for Airflow and Kafka with synthetic series (docs/setup.md).</summary>
public enum SyntheticSeries
{
    /// <summary>For a system whose images cannot be had here (the default): its dashboard and alerts still get data.</summary>
    WhenUnavailable,

    /// <summary>Also for a system switched off in the configuration.</summary>
    WhenOff,

    /// <summary>Never.</summary>
    Never,
}

/// <summary>The stack's settings, bound from the <c>Monitoring</c> configuration section.</summary>
public sealed partial class MonitoringOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Monitoring";

    /// <summary>Why each component whose image cannot be had here cannot run, by component (set by <c>AddMonitoring</c>).</summary>
    internal IReadOnlyDictionary<string, string> Unavailable { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How Probes runs (<c>Monitoring:ProbesHosting</c>).</summary>
    public ProbesHosting ProbesHosting { get; set; } = ProbesHosting.Project;

    /// <summary>Components switched on or off by name (<c>Monitoring:Components:node-exporter=false</c>); all are on unless set.</summary>
    public Dictionary<string, bool> Components { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Prometheus' scrape interval, a Prometheus duration (<c>Monitoring:ScrapeInterval</c>); tests shorten it.</summary>
    public string ScrapeInterval { get; set; } = DefaultInterval;

    /// <summary>Prometheus' rule evaluation interval (<c>Monitoring:EvaluationInterval</c>).</summary>
    public string EvaluationInterval { get; set; } = DefaultInterval;

    /// <summary>
    /// When Probes serves synthetic Airflow- and Kafka-shaped series in place of the real exporters
    /// (<c>Monitoring:SyntheticSeries</c>). Never while the real exporter runs.
    /// </summary>
    public SyntheticSeries SyntheticSeries { get; set; } = SyntheticSeries.WhenUnavailable;

    /// <summary>
    /// The longest <c>for</c> an alert rule waits (<c>Monitoring:MaxAlertFor</c>), a Prometheus duration; unset (the
    /// default) runs the rules as written. The end-to-end tests set it so alerts fire within seconds.
    /// </summary>
    public string? MaxAlertFor { get; set; }

    /// <summary>
    /// How long Prometheus waits before it sends a firing alert to Alertmanager again (<c>Monitoring:AlertResendDelay</c>,
    /// <c>--rules.alert.resend-delay</c>), a Prometheus duration; unset keeps Prometheus' 1m. It is also how soon the
    /// alerts that fired while Alertmanager was away reach it once it is back; the end-to-end tests shorten it.
    /// </summary>
    public string? AlertResendDelay { get; set; }

    /// <summary>
    /// Fixed host ports by resource name (<c>Monitoring:Ports:grafana=3000</c>), for bookmarks; every other port is
    /// picked at random. Ports are bound on loopback only.
    /// </summary>
    public Dictionary<string, int> Ports { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The longest <c>group_wait</c> and <c>group_interval</c> Alertmanager uses (<c>Monitoring:MaxGroupInterval</c>),
    /// a Prometheus duration; unset (the default) runs <c>alertmanager.yml</c> as written. The end-to-end tests set it
    /// so notifications and resolutions arrive within seconds.
    /// </summary>
    public string? MaxGroupInterval { get; set; }

    /// <summary>The provisioning folder (<c>Monitoring:ProvisioningDirectory</c>); defaults to <c>provisioning/</c> beside the AppHost.</summary>
    public string? ProvisioningDirectory { get; set; }

    /// <summary>The interval in the checked-in <c>prometheus.yml</c>.</summary>
    public const string DefaultInterval = "15s";

    /// <summary>Whether a component is on: not switched off, and its image can be had here.</summary>
    /// <param name="component">Its resource name.</param>
    /// <returns><see langword="true"/> unless switched off or unavailable.</returns>
    public bool IsEnabled(string component) => IsSwitchedOn(component) && UnavailableReason(component) is null;

    /// <summary>Why a component cannot run here (its image can be had neither locally nor from a registry), or <see langword="null"/> when it can.</summary>
    /// <param name="component">Its resource name.</param>
    /// <returns>The reason.</returns>
    public string? UnavailableReason(string component) => Unavailable.GetValueOrDefault(component);

    /// <summary>
    /// Whether Probes stands in with synthetic series for a system whose real exporter is not in the graph (ask only
    /// then: the two never run together).
    /// </summary>
    /// <param name="components">The components the real series need (<c>kafka</c>, <c>kafka-exporter</c>).</param>
    /// <returns><see langword="true"/> when the synthetic series are served and scraped.</returns>
    public bool UsesSyntheticSeries(params string[] components) => SyntheticSeries switch
    {
        SyntheticSeries.WhenUnavailable => components.Any(c => IsSwitchedOn(c) && UnavailableReason(c) is not null),
        SyntheticSeries.WhenOff => true,
        _ => false,
    };

    /// <summary>Whether the configuration leaves a component on (<c>Components:{name}</c> is not <c>false</c>).</summary>
    /// <param name="component">Its resource name.</param>
    /// <returns><see langword="true"/> unless switched off.</returns>
    public bool IsSwitchedOn(string component) => !Components.TryGetValue(component, out var enabled) || enabled;

    /// <summary>Checks the values that binding cannot, naming the setting at fault.</summary>
    /// <exception cref="InvalidOperationException">A value is out of shape.</exception>
    public void Validate()
    {
        foreach (var (key, value) in new[] { (nameof(ScrapeInterval), ScrapeInterval), (nameof(EvaluationInterval), EvaluationInterval), (nameof(MaxAlertFor), MaxAlertFor ?? "1m"), (nameof(MaxGroupInterval), MaxGroupInterval ?? "1m"), (nameof(AlertResendDelay), AlertResendDelay ?? "1m") })
        {
            if (!IsPrometheusDuration(value))
            {
                throw new InvalidOperationException(
                    $"Configuration '{SectionName}:{key}' is '{value}': it must be a Prometheus duration such as 15s, 1m or 500ms.");
            }
        }

        foreach (var (name, port) in Ports)
        {
            if (port is < 1 or > 65535)
            {
                throw new InvalidOperationException($"Configuration '{SectionName}:Ports:{name}' is {port}: it must be a port number from 1 to 65535.");
            }

            var other = Ports.FirstOrDefault(p => p.Value == port && !string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Key;
            if (other is not null)
            {
                throw new InvalidOperationException($"Configuration '{SectionName}:Ports:{name}' and '{SectionName}:Ports:{other}' are both {port}: each resource needs a port of its own.");
            }
        }
    }

    /// <summary>Whether a string is a Prometheus duration (<c>15s</c>, <c>1h30m</c>, <c>15d</c>).</summary>
    /// <param name="value">The string.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsPrometheusDuration(string? value) => TryParsePrometheusDuration(value, out _);

    /// <summary>Parses a Prometheus duration (<c>15s</c>, <c>1h30m</c>, <c>500ms</c>).</summary>
    /// <param name="value">The string.</param>
    /// <param name="duration">The duration.</param>
    /// <returns>Whether it is one (a bare <c>0</c> or an empty string is not).</returns>
    public static bool TryParsePrometheusDuration(string? value, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = value is null ? Match.Empty : DurationPattern().Match(value);
        if (!match.Success || value!.Length == 0)
        {
            return false;
        }

        double[] unitSeconds = [365 * 86400, 7 * 86400, 86400, 3600, 60, 1, 0.001];
        for (var i = 0; i < unitSeconds.Length; i++)
        {
            var group = match.Groups[(2 * i) + 2];
            if (group.Success)
            {
                duration += TimeSpan.FromSeconds(long.Parse(group.Value, System.Globalization.CultureInfo.InvariantCulture) * unitSeconds[i]);
            }
        }

        return true;
    }

    [GeneratedRegex(@"^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$")]
    private static partial Regex DurationPattern();
}
