using YamlDotNet.RepresentationModel;
using static Monitoring.Kubernetes.Yaml;

namespace Monitoring.Kubernetes;

/// <summary>
/// Exports <c>provisioning/</c>, the files the AppHost mounts, for kube-prometheus-stack: the rule groups, the
/// Alertmanager routes and receivers and Prometheus' intervals as the chart's values; a ConfigMap per dashboard for
/// Grafana's sidecar; a ServiceMonitor per scrape job (and a Probe for the blackbox job) relabelling <c>job</c> to the
/// local names; the StatsD mapping as the Airflow chart's values. Nothing is written twice: every rule, route,
/// dashboard and mapping is read from its file here.
/// </summary>
/// <param name="options">What to export, where to.</param>
public sealed class ClusterExport(ExportOptions options)
{
    /// <summary>The file that marks a folder as this command's, so that a later export may replace it.</summary>
    public const string Marker = ".monitoring-kubernetes-export";

    /// <summary>The values file for kube-prometheus-stack.</summary>
    public const string ValuesFile = "kube-prometheus-stack.values.yaml";

    /// <summary>The values file for the official Airflow chart.</summary>
    public const string AirflowValuesFile = "airflow.values.yaml";

    /// <summary>The values file for the prometheus-blackbox-exporter chart.</summary>
    public const string BlackboxValuesFile = "blackbox-exporter.values.yaml";

    /// <summary>The folder of the manifests (<c>kubectl apply --server-side -f</c>).</summary>
    public const string ManifestsFolder = "manifests";

    /// <summary>The dashboards that stay on the laptop: Probes' scenarios and webhook.</summary>
    public static readonly IReadOnlySet<string> LocalDashboards = new HashSet<string>(StringComparer.Ordinal) { "probes.json" };

    private readonly string _p = options.ProvisioningDirectory;

    /// <summary>The Secret whose keys the Alertmanager receivers read their URLs and passwords from.</summary>
    public string ReceiverSecret => $"{options.Release}-alertmanager-receivers";

    /// <summary>The Secret holding Grafana's admin user and password.</summary>
    public string GrafanaAdminSecret => $"{options.Release}-grafana-admin";

    /// <summary>Writes the folder: into a new folder beside it first, which then replaces it, so a failed export leaves the last one as it was.</summary>
    /// <returns>The files written, relative to the folder.</returns>
    /// <exception cref="ExportException">A source file is missing or wrong (the message names it and the line), or the folder holds files of something else.</exception>
    public IReadOnlyList<string> Write()
    {
        var files = Render();
        var target = options.OutputDirectory;
        if (File.Exists(target))
        {
            throw new ExportException($"{target}: a file, not a folder; name a folder with --output.");
        }

        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !File.Exists(Path.Combine(target, Marker)))
        {
            throw new ExportException($"{target}: the folder holds files that no export wrote; name an empty or new folder with --output.");
        }

        var staging = $"{target.TrimEnd(Path.DirectorySeparatorChar)}.partial-{Guid.NewGuid():N}";
        var previous = $"{target.TrimEnd(Path.DirectorySeparatorChar)}.previous-{Guid.NewGuid():N}";
        try
        {
            foreach (var (name, text) in files)
            {
                var path = Path.Combine(staging, name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, text);
            }

            File.WriteAllText(Path.Combine(staging, Marker), $"Written by Monitoring.Kubernetes for release {options.Release} in namespace {options.Namespace}.\n");
            // The last export moves aside until the new one is in its place, and comes back if that fails.
            if (Directory.Exists(target))
            {
                Directory.Move(target, previous);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                Directory.Move(staging, target);
            }
            catch (Exception) when (Directory.Exists(previous) && !Directory.Exists(target))
            {
                Directory.Move(previous, target);
                throw;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ExportException($"{target}: could not be written: {ex.Message}");
        }
        finally
        {
            foreach (var leftover in new[] { staging, previous }.Where(Directory.Exists))
            {
                Directory.Delete(leftover, recursive: true);
            }
        }

        return [.. files.Keys];
    }

    /// <summary>Every file of the export, by its path in the folder.</summary>
    /// <returns>The files' text.</returns>
    /// <exception cref="ExportException">A source file is missing or wrong; the message names it and the line.</exception>
    public IReadOnlyDictionary<string, string> Render()
    {
        var prometheusPath = Path.Combine(_p, "prometheus", "prometheus.yml");
        var prometheus = Load(prometheusPath);
        CheckEveryJobIsExported(prometheusPath, prometheus);

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [ValuesFile] = Yaml.Write(Values(prometheusPath, prometheus), Header("the values of kube-prometheus-stack", $"helm install {options.Release} prometheus-community/kube-prometheus-stack --version {KubePrometheusStack.ChartVersion} -n {options.Namespace} -f {ValuesFile}")),
            [AirflowValuesFile] = Yaml.Write(AirflowValues(), Header("the values of the official Airflow chart (its statsd-exporter's mapping)", $"helm upgrade --install airflow apache-airflow/airflow -n {options.Namespace} -f {AirflowValuesFile}")),
            [BlackboxValuesFile] = Yaml.Write(BlackboxValues(), Header("the values of the prometheus-blackbox-exporter chart (its modules)", $"helm install prometheus-blackbox-exporter prometheus-community/prometheus-blackbox-exporter -n {options.Namespace} -f {BlackboxValuesFile}")),
        };

        foreach (var scrape in ClusterScrape.All)
        {
            files[$"{ManifestsFolder}/servicemonitor-{scrape.Job}.yaml"] = Yaml.Write(ServiceMonitor(scrape), Header($"the ServiceMonitor of job {scrape.Job}: {scrape.Runs}", null));
        }

        files[$"{ManifestsFolder}/probe-{ClusterScrape.BlackboxJob}.yaml"] = Yaml.Write(BlackboxProbe(), Header($"the Probe of job {ClusterScrape.BlackboxJob}: every Ingress labelled {ClusterScrape.ProbeLabel}: \"true\"", null));

        var folder = DashboardFolder();
        var dashboards = Path.Combine(_p, "grafana", "dashboards");
        if (!Directory.Exists(dashboards))
        {
            throw new ExportException($"{dashboards}: the dashboards folder does not exist.");
        }

        foreach (var dashboard in Directory.GetFiles(dashboards, "*.json").Order(StringComparer.Ordinal))
        {
            if (!LocalDashboards.Contains(Path.GetFileName(dashboard)))
            {
                var name = Path.GetFileNameWithoutExtension(dashboard);
                files[$"{ManifestsFolder}/dashboard-{name}.yaml"] = Yaml.Write(DashboardConfigMap(dashboard, folder), Header($"the Grafana dashboard {Path.GetFileName(dashboard)}, for the chart's sidecar", null));
            }
        }

        return files;
    }

    private IEnumerable<string> Header(string what, string? apply) =>
    [
        $"Generated by Monitoring.Kubernetes from {Path.GetFileName(_p.TrimEnd(Path.DirectorySeparatorChar))}/ for release {options.Release} in namespace {options.Namespace}: {what}.",
        "Do not edit: edit provisioning/ and export again (docs/kubernetes.md).",
        .. apply is null ? Array.Empty<string>() : [apply],
    ];

    private void CheckEveryJobIsExported(string path, YamlMappingNode prometheus)
    {
        var exported = ClusterScrape.All.Select(s => s.Job).Append(ClusterScrape.BlackboxJob).ToHashSet(StringComparer.Ordinal);
        foreach (var job in Required<YamlSequenceNode>(path, prometheus, "scrape_configs").Children.OfType<YamlMappingNode>())
        {
            var name = Optional<YamlScalarNode>(job, "job_name")?.Value;
            if (name is not null && !exported.Contains(name) && !ClusterScrape.LocalOnly.Contains(name))
            {
                throw new ExportException($"{path}:{job.Start.Line}: job '{name}' has no scrape on the cluster; add it to Kubernetes/ClusterScrape.cs (docs/kubernetes.md).");
            }
        }
    }

    private YamlMappingNode Values(string prometheusPath, YamlMappingNode prometheus)
    {
        var global = Required<YamlMappingNode>(prometheusPath, prometheus, "global");
        YamlNode? Global(string key) => Optional<YamlNode>(global, key) is { } node ? Copy(node) : null;

        var alertsPath = Path.Combine(_p, "prometheus", "alerts.yml");
        var groups = Required<YamlSequenceNode>(alertsPath, Load(alertsPath), "groups").Children;
        var rules = new YamlMappingNode();
        foreach (var group in groups)
        {
            var name = group is YamlMappingNode g ? Required<YamlScalarNode>(alertsPath, g, "name").Value! : throw new ExportException($"{alertsPath}:{group.Start.Line}: a group must be a mapping.");
            var key = RuleMapKey(name);
            if (!Names.IsDnsSubdomain(key) || rules.Children.ContainsKey(Str(key)))
            {
                throw new ExportException($"{alertsPath}:{group.Start.Line}: group '{name}' makes the PrometheusRule name '{key}', {(rules.Children.ContainsKey(Str(key)) ? "which another group makes too" : "not a valid Kubernetes name")}: name groups with lower-case letters, digits and '-'.");
            }

            rules.Add(Str(key), Map(("groups", Seq([Copy(group)]))));
        }

        // The versions proven here (eng/images/pins.txt), not the chart's newer defaults: the promtool and amtool checks
        // of the export run these.
        var pins = Pins();
        YamlMappingNode? Image(string component) => pins.TryGetValue(component, out var tag) ? Map(("tag", Str(tag))) : null;
        return Map(
            ("additionalPrometheusRulesMap", rules),
            ("prometheus-node-exporter", Image("node-exporter") is { } nodeImage ? Map(("image", nodeImage)) : null),
            ("prometheus", Map(("prometheusSpec", Map(
                ("image", Image("prometheus")),
                ("scrapeInterval", Global("scrape_interval")),
                ("scrapeTimeout", Global("scrape_timeout")),
                ("evaluationInterval", Global("evaluation_interval")),
                ("externalLabels", Global("external_labels")),
                ("retention", Str(options.Retention)))))),
            ("alertmanager", Map(
                ("config", AlertmanagerConfig().Config),
                ("alertmanagerSpec", Map(("image", Image("alertmanager")), ("secrets", Seq(ReceiverSecret)))))),
            ("grafana", Map(
                ("image", Image("grafana")),
                ("admin", Map(("existingSecret", Str(GrafanaAdminSecret)), ("userKey", Str("admin-user")), ("passwordKey", Str("admin-password")))),
                ("sidecar", Map(("dashboards", Map(
                    ("enabled", Plain("true")),
                    ("label", Str(DashboardLabel)),
                    ("labelValue", Str("1")),
                    ("folderAnnotation", Str(FolderAnnotation)),
                    ("provider", Map(("foldersFromFilesStructure", Plain("true")))))))))));
    }

    /// <summary>The key of a rule group in <c>additionalPrometheusRulesMap</c>, which names its PrometheusRule.</summary>
    /// <param name="group">The group's name.</param>
    /// <returns>The key.</returns>
    public static string RuleMapKey(string group) => $"monitoring-{group.ToLowerInvariant().Replace('_', '-')}";

    /// <summary>The label the Grafana sidecar loads dashboards by.</summary>
    public const string DashboardLabel = "grafana_dashboard";

    /// <summary>The annotation naming a dashboard's folder for the sidecar.</summary>
    public const string FolderAnnotation = "grafana_folder";

    /// <summary>
    /// alertmanager.yml, with every URL, password, key and token read from a file of the mounted receivers Secret
    /// (<see cref="AlertmanagerSecrets"/>), and what the chart's own rules need of the routes: the chart's values route
    /// its <c>InfoInhibitor</c> alert to a receiver that drops it and inhibit its <c>severity="info"</c> alerts with it
    /// (values.yaml l. 553-590 at 88.5.3; templates/prometheus/rules-1.14/general.rules.yaml: "This alert should be
    /// routed to a null receiver"). Helm replaces the chart's lists by ours, so those go in here, after ours.
    /// </summary>
    private (YamlMappingNode Config, IReadOnlyList<string> SecretKeys) AlertmanagerConfig()
    {
        var path = Path.Combine(_p, "alertmanager", "alertmanager.yml");
        // A fresh load (each call parses the file), changed in place: its nodes keep their lines for messages.
        var config = Load(path);
        var keys = AlertmanagerSecrets.Rewrite(path, config, ReceiverSecret);

        var receivers = Required<YamlSequenceNode>(path, config, "receivers");
        if (receivers.Children.OfType<YamlMappingNode>().Any(r => Optional<YamlScalarNode>(r, "name")?.Value == NullReceiver))
        {
            throw new ExportException($"{path}:{receivers.Start.Line}: a receiver is named '{NullReceiver}', which the export adds for the chart's InfoInhibitor.");
        }

        receivers.Add(Map(("name", Str(NullReceiver))));
        var route = Required<YamlMappingNode>(path, config, "route");
        var routes = Optional<YamlSequenceNode>(route, "routes") ?? new YamlSequenceNode();
        route.Children[Str("routes")] = routes;
        routes.Children.Insert(0, Map(("matchers", Seq("alertname=\"InfoInhibitor\"")), ("receiver", Str(NullReceiver))));
        var inhibit = Optional<YamlSequenceNode>(config, "inhibit_rules") ?? new YamlSequenceNode();
        config.Children[Str("inhibit_rules")] = inhibit;
        inhibit.Add(Map(("source_matchers", Seq("severity=~\"critical|warning\"")), ("target_matchers", Seq("severity=\"info\"")), ("equal", Seq("namespace", "alertname"))));
        inhibit.Add(Map(("source_matchers", Seq("alertname=\"InfoInhibitor\"")), ("target_matchers", Seq("severity=\"info\"")), ("equal", Seq("namespace"))));
        inhibit.Add(Map(("target_matchers", Seq("alertname=\"InfoInhibitor\""))));
        return (config, keys);
    }

    /// <summary>The receiver that drops what it gets, for the chart's InfoInhibitor.</summary>
    public const string NullReceiver = "null";

    /// <summary>The keys the receivers Secret must hold.</summary>
    /// <returns>The keys.</returns>
    public IReadOnlyList<string> ReceiverSecretKeys() => AlertmanagerConfig().SecretKeys;

    private YamlMappingNode Metadata(string name, IEnumerable<(string Key, string Value)> labels, IEnumerable<(string Key, string Value)>? annotations = null) => Map(
        ("name", Str(name)),
        ("namespace", Str(options.Namespace)),
        ("labels", Map([.. labels.Select(l => (l.Key, (YamlNode?)Str(l.Value))), ("app.kubernetes.io/part-of", Str("monitoring"))])),
        ("annotations", annotations is null ? null : Map([.. annotations.Select(a => (a.Key, (YamlNode?)Str(a.Value)))])));

    private YamlMappingNode ServiceMonitor(ClusterScrape scrape)
    {
        var relabel = new List<YamlNode>();
        if (scrape.Job == ClusterScrape.ServicesJob)
        {
            // Each service keeps a job of its own (jobLabel below, else the Service's name), as locally the resource's name.
            relabel.Add(Map(("targetLabel", Str("kind")), ("replacement", Str("service")), ("action", Str("replace"))));
        }
        else
        {
            relabel.Add(Map(("targetLabel", Str("job")), ("replacement", Str(scrape.Job)), ("action", Str("replace"))));
        }

        return Map(
            ("apiVersion", Str("monitoring.coreos.com/v1")),
            ("kind", Str("ServiceMonitor")),
            ("metadata", Metadata($"{options.Release}-{scrape.Job}", [(KubePrometheusStack.ReleaseLabel, options.Release)])),
            ("spec", Map(
                ("jobLabel", scrape.Job == ClusterScrape.ServicesJob ? Str("app.kubernetes.io/name") : null),
                ("namespaceSelector", scrape.AnyNamespace ? Map(("any", Plain("true"))) : Map(("matchNames", Seq(options.Namespace)))),
                ("selector", Map(("matchLabels", Map([.. scrape.Selector.Select(s => (s.Key, (YamlNode?)Str(s.Value.Replace("{release}", options.Release, StringComparison.Ordinal))))])))),
                ("endpoints", Seq([Map(
                    ("port", Str(scrape.Port)),
                    ("path", Str(scrape.Path)),
                    ("honorLabels", scrape.HonorLabels ? Plain("true") : null),
                    ("relabelings", Seq(relabel)))])))));
    }

    private YamlMappingNode BlackboxProbe() => Map(
        ("apiVersion", Str("monitoring.coreos.com/v1")),
        ("kind", Str("Probe")),
        ("metadata", Metadata($"{options.Release}-{ClusterScrape.BlackboxJob}", [(KubePrometheusStack.ReleaseLabel, options.Release)])),
        ("spec", Map(
            ("jobName", Str(ClusterScrape.BlackboxJob)),
            ("module", Str("http_2xx")),
            ("prober", Map(("url", Str($"prometheus-blackbox-exporter.{options.Namespace}.svc:9115")))),
            ("targets", Map(("ingress", Map(
                // The team's Ingresses, in whichever namespace.
                ("namespaceSelector", Map(("any", Plain("true")))),
                ("selector", Map(("matchLabels", Map((ClusterScrape.ProbeLabel, Str("true")))))))))))));

    private string DashboardFolder()
    {
        var path = Path.Combine(_p, "grafana", "provisioning", "dashboards", "monitoring.yml");
        var providers = Required<YamlSequenceNode>(path, Load(path), "providers").Children.OfType<YamlMappingNode>().ToList();
        return providers is [var provider] ? Required<YamlScalarNode>(path, provider, "folder").Value! : throw new ExportException($"{path}:1: expected one dashboard provider.");
    }

    private YamlMappingNode DashboardConfigMap(string path, string folder)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        if (!Names.IsDnsSubdomain($"{options.Release}-dashboard-{name}") || !Names.IsConfigMapKey($"{name}.json"))
        {
            throw new ExportException($"{path}: '{name}' makes no valid ConfigMap name: name dashboard files with lower-case letters, digits and '-'.");
        }

        var json = File.ReadAllText(path);
        try
        {
            using var _ = System.Text.Json.JsonDocument.Parse(json);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new ExportException($"{path}:{ex.LineNumber + 1}: not valid JSON: {ex.Message}");
        }

        return Map(
            ("apiVersion", Str("v1")),
            ("kind", Str("ConfigMap")),
            ("metadata", Metadata($"{options.Release}-dashboard-{name}", [(DashboardLabel, "1")], [(FolderAnnotation, folder)])),
            ("data", Map(($"{name}.json", Block(json.ReplaceLineEndings("\n"))))));
    }

    /// <summary>
    /// The StatsD mapping as the official Airflow chart takes it: <c>statsd.overrideMappings</c> replaces the chart's
    /// own mapping and is rendered as the exporter's <c>mappings:</c> list alone (chart/templates/configmaps/
    /// statsd-configmap.yaml, l. 44-46), so the file's <c>defaults</c> (histograms and their buckets) go into each
    /// mapping that does not set its own. The Airflow and statsd-exporter images are the pinned ones.
    /// </summary>
    private YamlMappingNode AirflowValues()
    {
        var path = Path.Combine(_p, "statsd", "mappings.yml");
        var file = Load(path);
        var defaults = Optional<YamlMappingNode>(file, "defaults");
        var mappings = (YamlSequenceNode)Copy(Required<YamlSequenceNode>(path, file, "mappings"));
        foreach (var mapping in mappings.Children.OfType<YamlMappingNode>().Where(m => Optional<YamlScalarNode>(m, "action")?.Value != "drop"))
        {
            foreach (var (key, value) in defaults?.Children.AsEnumerable() ?? [])
            {
                if (!mapping.Children.ContainsKey(key))
                {
                    mapping.Add(Copy(key), Copy(value));
                }
            }
        }

        var pins = Pins();
        return Map(
            ("defaultAirflowTag", pins.TryGetValue("airflow", out var airflow) ? Str(airflow) : null),
            ("airflowVersion", pins.TryGetValue("airflow", out airflow) ? Str(airflow) : null),
            ("images", pins.TryGetValue("statsd-exporter", out var statsd) ? Map(("statsd", Map(("tag", Str(statsd))))) : null),
            // With podAnnotations set, the chart annotates the statsd-exporter's pods with a checksum of the mapping's
            // ConfigMap, so a changed mapping restarts them (chart/templates/statsd/statsd-deployment.yaml).
            ("statsd", Map(("enabled", Plain("true")), ("podAnnotations", Map(("monitoring/mapping", Str("provisioning/statsd/mappings.yml")))), ("overrideMappings", mappings))));
    }

    /// <summary>The image tags of <c>eng/images/pins.txt</c> beside <c>provisioning/</c>, by component; none where there is no such file.</summary>
    private Dictionary<string, string> Pins()
    {
        var path = Path.Combine(_p, "..", "eng", "images", "pins.txt");
        return File.Exists(path)
            ? File.ReadLines(path).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(c => c.Length >= 4 && !c[0].StartsWith('#'))
                .GroupBy(c => c[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last()[3], StringComparer.Ordinal)
            : [];
    }

    private YamlMappingNode BlackboxValues()
    {
        var path = Path.Combine(_p, "blackbox", "config.yml");
        return Map(("config", Copy(Load(path))));
    }
}
