using System.Text.Json.Nodes;
using Monitoring.Kubernetes;
using Monitoring.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Monitoring.Tests.Kubernetes;

/// <summary>The export of this repository's <c>provisioning/</c> for one release and namespace, read back as the cluster would.</summary>
internal sealed class ExportedCluster
{
    /// <summary>The release the tests export for.</summary>
    public const string Release = "team-monitoring";

    /// <summary>The namespace the tests export for.</summary>
    public const string Namespace = "observability";

    private static readonly Lazy<ExportedCluster> s_default = new(() => new(Repo.Path("provisioning")));

    private ExportedCluster(string provisioning)
    {
        Export = new ClusterExport(new ExportOptions(Release, Namespace, Path.Combine(Path.GetTempPath(), "unused"), provisioning, "15d"));
        Files = Export.Render();
        Values = (JsonObject)KubernetesSchemas.Json(Files[ClusterExport.ValuesFile])!;
    }

    /// <summary>The export of the checked-in <c>provisioning/</c>.</summary>
    public static ExportedCluster Default => s_default.Value;

    /// <summary>The export of another provisioning folder.</summary>
    /// <param name="provisioning">The folder.</param>
    /// <returns>The export.</returns>
    public static ExportedCluster Of(string provisioning) => new(provisioning);

    /// <summary>The exporter.</summary>
    public ClusterExport Export { get; }

    /// <summary>Every file, by its path in the folder.</summary>
    public IReadOnlyDictionary<string, string> Files { get; }

    /// <summary>The kube-prometheus-stack values.</summary>
    public JsonObject Values { get; }

    /// <summary>The manifests, by their path in the folder.</summary>
    public IEnumerable<KeyValuePair<string, string>> Manifests => Files.Where(f => f.Key.StartsWith(ClusterExport.ManifestsFolder + "/", StringComparison.Ordinal));

    /// <summary>The manifests of one kind, as JSON.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The objects.</returns>
    public IEnumerable<JsonObject> Objects(string kind) =>
        Manifests.Select(m => (JsonObject)KubernetesSchemas.Json(m.Value)!).Where(o => o["kind"]!.GetValue<string>() == kind);

    /// <summary>
    /// The PrometheusRules the chart makes of <c>additionalPrometheusRulesMap</c>, one per key, as
    /// kube-prometheus-stack 88.5.3 renders them (prometheus-community/helm-charts ea930baee,
    /// charts/kube-prometheus-stack/templates/prometheus/additionalPrometheusRules.yaml l. 1-18: named
    /// <c>&lt;fullname&gt;-&lt;key&gt;</c> cut to 63 characters, labelled with the chart's labels, release among them;
    /// templates/_helpers.tpl l. 14-26 (fullname: the release, with <c>-kube-prometheus-stack</c> unless it holds that
    /// name, cut to 26) and l. 76-83 (labels)).
    /// </summary>
    /// <returns>The objects' YAML.</returns>
    public IEnumerable<string> ChartPrometheusRules()
    {
        const string chart = "kube-prometheus-stack";
        var fullname = Cut(Release.Contains(chart, StringComparison.Ordinal) ? Release : $"{Release}-{chart}", 26);
        foreach (var (key, value) in (JsonObject)Values["additionalPrometheusRulesMap"]!)
        {
            var rule = new JsonObject
            {
                ["apiVersion"] = "monitoring.coreos.com/v1",
                ["kind"] = "PrometheusRule",
                ["metadata"] = new JsonObject
                {
                    ["name"] = Cut($"{fullname}-{key}", 63),
                    ["namespace"] = Namespace,
                    ["labels"] = new JsonObject
                    {
                        ["app"] = chart,
                        ["app.kubernetes.io/managed-by"] = "Helm",
                        ["app.kubernetes.io/instance"] = Release,
                        ["app.kubernetes.io/version"] = KubePrometheusStack.ChartVersion,
                        ["app.kubernetes.io/part-of"] = chart,
                        ["chart"] = $"{chart}-{KubePrometheusStack.ChartVersion}",
                        [KubePrometheusStack.ReleaseLabel] = Release,
                        ["heritage"] = "Helm",
                    },
                },
                ["spec"] = new JsonObject { ["groups"] = value!["groups"]!.DeepClone() },
            };
            // JSON is YAML.
            yield return rule.ToJsonString();
        }

        static string Cut(string name, int length) => name[..Math.Min(length, name.Length)].TrimEnd('-');
    }

    /// <summary>The rule groups of the values, read back, in the order of the map.</summary>
    public JsonArray RuleGroups => new([.. ((JsonObject)Values["additionalPrometheusRulesMap"]!).SelectMany(e => ((JsonArray)e.Value!["groups"]!).Select(g => g!.DeepClone()))]);

    /// <summary>The rule groups read back as a Prometheus rules file.</summary>
    public string RulesFile => new JsonObject { ["groups"] = RuleGroups }.ToJsonString();

    /// <summary>
    /// The Alertmanager configuration the chart puts in Alertmanager's Secret: the exported <c>alertmanager.config</c>
    /// merged by Helm into the chart's default (maps merge key by key, lists and scalars are replaced), which is
    /// written as it is (templates/alertmanager/secret.yaml l. 17-28, <c>toYaml .Values.alertmanager.config</c>).
    /// </summary>
    public string AlertmanagerConfig => Merge(ChartDefaultAlertmanagerConfig(), Values["alertmanager"]!["config"]!.DeepClone()).ToJsonString();

    /// <summary>
    /// <c>alertmanager.config</c> in kube-prometheus-stack 88.5.3's values.yaml (l. 553-590 at
    /// prometheus-community/helm-charts ea930baee), which the exported values are merged into.
    /// </summary>
    private static JsonNode ChartDefaultAlertmanagerConfig() => KubernetesSchemas.Json(
        """
        global:
          resolve_timeout: 5m
        inhibit_rules:
          - source_matchers: ['severity = critical']
            target_matchers: ['severity =~ warning|info']
            equal: ['namespace', 'alertname']
          - source_matchers: ['severity = warning']
            target_matchers: ['severity = info']
            equal: ['namespace', 'alertname']
          - source_matchers: ['alertname = InfoInhibitor']
            target_matchers: ['severity = info']
            equal: ['namespace']
          - target_matchers: ['alertname = InfoInhibitor']
        route:
          group_by: ['namespace']
          group_wait: 30s
          group_interval: 5m
          repeat_interval: 12h
          receiver: 'null'
          routes:
          - receiver: 'null'
            matchers:
              - alertname = "Watchdog"
        receivers:
        - name: 'null'
        templates:
        - '/etc/alertmanager/config/*.tmpl'
        """)!;

    private static JsonNode Merge(JsonNode defaults, JsonNode values)
    {
        if (defaults is not JsonObject d || values is not JsonObject v)
        {
            return values;
        }

        foreach (var (key, value) in v.ToList())
        {
            v.Remove(key);
            d[key] = d[key] is { } existing && value is not null ? Merge(existing.DeepClone(), value) : value;
        }

        return d;
    }

    /// <summary>The YAML of a file as a node, for comparisons.</summary>
    /// <param name="path">The file.</param>
    /// <returns>Its JSON.</returns>
    public static JsonNode FileAsJson(string path) => KubernetesSchemas.Json(File.ReadAllText(path))!;

    /// <summary>Loads a YAML document.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The root.</returns>
    public static YamlNode Load(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents[0].RootNode;
    }
}
