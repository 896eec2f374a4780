namespace Monitoring.Kubernetes;

/// <summary>
/// How one of <c>prometheus.yml</c>'s jobs is scraped on the cluster: a ServiceMonitor selecting the Service of the
/// chart that runs the component there, relabelling <c>job</c> to the local job's name, so the rules and dashboards,
/// which select on it, match there as they do here.
/// </summary>
/// <param name="Job">The job's name in <c>prometheus.yml</c>, which the ServiceMonitor's targets get.</param>
/// <param name="Runs">What runs the component on the cluster, for the comments and docs.</param>
/// <param name="Selector">The labels of the component's Service (<c>{release}</c> stands for the release name).</param>
/// <param name="Port">The name of the Service's port to scrape.</param>
/// <param name="Path">The metrics path.</param>
/// <param name="AnyNamespace">Whether its Services are looked for in every namespace (the team's applications and
/// Airflow live in their own), rather than in the export's (the chart's and the exporters installed beside it).</param>
/// <param name="HonorLabels">Whether the scraped series keep their own <c>job</c> and <c>instance</c> (the Pushgateway's,
/// pushed by batch jobs), as <c>honor_labels</c> does locally.</param>
internal sealed record ClusterScrape(string Job, string Runs, IReadOnlyDictionary<string, string> Selector, string Port, string Path = "/metrics", bool AnyNamespace = false, bool HonorLabels = false)
{
    /// <summary>The label that marks the Service of a .NET service of the team's, as <c>WithMonitoring</c> does locally.</summary>
    public const string ServiceKindLabel = "monitoring/kind";

    /// <summary>The label of an Ingress the blackbox exporter probes, as <c>WithHttpProbe</c> does locally.</summary>
    public const string ProbeLabel = "monitoring/probe";

    /// <summary>The jobs of <c>prometheus.yml</c> that stay on the laptop: targets of your own listed in files there.</summary>
    public static readonly IReadOnlySet<string> LocalOnly = new HashSet<string>(StringComparer.Ordinal) { "custom" };

    /// <summary>The job of the team's .NET services: each Service's own job, and <c>kind="service"</c>.</summary>
    public const string ServicesJob = "services";

    /// <summary>The job of the HTTP endpoints probed from outside: a Probe, not a ServiceMonitor.</summary>
    public const string BlackboxJob = "blackbox";

    /// <summary>Every job of <c>prometheus.yml</c> but the local ones and the blackbox probes.</summary>
    public static IReadOnlyList<ClusterScrape> All { get; } =
    [
        // kube-prometheus-stack's own Prometheus and Alertmanager Services (templates/prometheus/service.yaml,
        // templates/alertmanager/service.yaml): their chart's ServiceMonitors name the job after the Service.
        new("prometheus", "kube-prometheus-stack's Prometheus", new Dictionary<string, string> { ["app"] = "kube-prometheus-stack-prometheus", ["release"] = "{release}" }, "http-web"),
        new("alertmanager", "kube-prometheus-stack's Alertmanager", new Dictionary<string, string> { ["app"] = "kube-prometheus-stack-alertmanager", ["release"] = "{release}" }, "http-web"),
        // The chart's prometheus-node-exporter DaemonSet; the chart's own ServiceMonitor names its job node-exporter.
        new("node", "kube-prometheus-stack's node-exporter", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "prometheus-node-exporter", ["app.kubernetes.io/instance"] = "{release}" }, "http-metrics"),
        // prometheus-community/helm-charts, prometheus-postgres-exporter 8.2.0: templates/_helpers.tpl l. 37-54 (labels),
        // values.yaml l. 19-25 (port "http").
        new("postgres", "the prometheus-postgres-exporter chart", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "prometheus-postgres-exporter" }, "http"),
        // prometheus-kafka-exporter 3.1.1: templates/service.yaml l. 8-31 (labels), values.yaml l. 92-94 (port "exporter-port").
        new("kafka", "the prometheus-kafka-exporter chart", new Dictionary<string, string> { ["app"] = "prometheus-kafka-exporter" }, "exporter-port"),
        // apache/airflow chart/templates/statsd/statsd-service.yaml: labels tier and component, port "statsd-scrape"
        // (9102); the chart ships no ServiceMonitor of its own.
        new("airflow", "the Airflow chart's statsd-exporter", new Dictionary<string, string> { ["tier"] = "airflow", ["component"] = "statsd" }, "statsd-scrape", AnyNamespace: true),
        // prometheus-pushgateway 3.6.0 (appVersion v1.11.2; helm-charts a5e8b56c): templates/_helpers.tpl l. 74-77
        // (selector label app.kubernetes.io/name), values.yaml l. 33 (port "http"). The batch jobs' own job labels
        // are kept, as the local job's honor_labels keeps them.
        new("pushgateway", "the prometheus-pushgateway chart", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "prometheus-pushgateway" }, "http", HonorLabels: true),
        new(ServicesJob, $"your .NET services' Services, labelled {ServiceKindLabel}: service", new Dictionary<string, string> { [ServiceKindLabel] = "service" }, "http", AnyNamespace: true),
    ];
}
