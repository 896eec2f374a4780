using System.Text.Json.Nodes;
using Monitoring.Kubernetes;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Kubernetes;

/// <summary>
/// The export to kube-prometheus-stack (docs/kubernetes.md), proven without a cluster: the command, the manifests
/// against the pinned chart's CRDs and Kubernetes' schemas, the rules and routes read back, every selector produced
/// on the cluster, the size limits, and no credential.
/// </summary>
public class ClusterExportTests
{
    private static ExportedCluster Export => ExportedCluster.Default;

    [Fact]
    public void The_command_writes_the_folder_for_the_release_and_namespace_given()
    {
        using var temp = new ReadableTempDirectory();
        var folder = Path.Combine(temp.Path, "out");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = ExportCommand.Run(["--release", "shop", "--namespace", "shop-monitoring", "--output", folder, "--provisioning", Repo.Path("provisioning")], output, error);

        Assert.True(exitCode == 0, error.ToString());
        Assert.Contains("Secret shop-alertmanager-receivers needs the keys: probes.webhook.url, watchdog.webhook.url.", output.ToString());
        var written = Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).ToHashSet();
        Assert.Contains(ClusterExport.ValuesFile, written);
        Assert.Contains(ClusterExport.AirflowValuesFile, written);
        Assert.Contains("manifests/servicemonitor-node.yaml", written);
        Assert.Contains("manifests/dashboard-kafka.yaml", written);
        var monitor = (JsonObject)KubernetesSchemas.Json(File.ReadAllText(Path.Combine(folder, "manifests", "servicemonitor-prometheus.yaml")))!;
        Assert.Equal("shop-monitoring", monitor["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal("shop", monitor["metadata"]!["labels"]!["release"]!.GetValue<string>());
        Assert.Equal("shop", monitor["spec"]!["selector"]!["matchLabels"]!["release"]!.GetValue<string>());

        // A second export replaces the first.
        Assert.Equal(0, ExportCommand.Run(["--release", "shop", "--namespace", "other", "--output", folder, "--provisioning", Repo.Path("provisioning")], output, error));
        Assert.Contains("namespace: other", File.ReadAllText(Path.Combine(folder, "manifests", "servicemonitor-node.yaml")));
    }

    [Theory]
    [InlineData(new[] { "--namespace", "n" }, "--release is required")]
    [InlineData(new[] { "--release", "Team_A", "--namespace", "n" }, "--release 'Team_A'")]
    [InlineData(new[] { "--release", "r", "--namespace", "n", "--retention", "two weeks" }, "--retention 'two weeks'")]
    [InlineData(new[] { "--release", "r", "--namespace", "n", "--retention", "1h1d" }, "--retention '1h1d'")]
    [InlineData(new[] { "--release", "r", "--namespace", "n", "--colour", "x" }, "Unknown argument '--colour'")]
    public void Bad_arguments_are_named_and_nothing_is_written(string[] args, string message)
    {
        using var temp = new ReadableTempDirectory();
        var folder = Path.Combine(temp.Path, "out");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = ExportCommand.Run([.. args, "--output", folder], output, error);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, error.ToString());
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void A_broken_source_is_named_with_its_line_and_the_last_export_stays()
    {
        using var temp = new ReadableTempDirectory();
        var provisioning = Path.Combine(temp.Path, "provisioning");
        CopyDirectory(Repo.Path("provisioning"), provisioning);
        var folder = Path.Combine(temp.Path, "out");
        string[] args = ["--release", "r", "--namespace", "n", "--output", folder, "--provisioning", provisioning];
        Assert.Equal(0, ExportCommand.Run(args, TextWriter.Null, TextWriter.Null));
        var before = File.ReadAllText(Path.Combine(folder, ClusterExport.ValuesFile));
        var alerts = Path.Combine(provisioning, "prometheus", "alerts.yml");
        var lines = File.ReadAllLines(alerts).ToList();
        lines.Insert(10, "      - alert: [broken");
        File.WriteAllLines(alerts, lines);
        using var error = new StringWriter();

        var exitCode = ExportCommand.Run(args, TextWriter.Null, error);

        Assert.Equal(2, exitCode);
        // Line 11 opens a flow sequence that line 12 does not close: YamlDotNet names the line where it gave up.
        Assert.Contains($"{alerts}:12:", error.ToString());
        Assert.Equal(before, File.ReadAllText(Path.Combine(folder, ClusterExport.ValuesFile)));
        Assert.Single(Directory.GetDirectories(temp.Path), d => Path.GetFileName(d).StartsWith("out", StringComparison.Ordinal));
    }

    [Fact]
    public void A_scrape_job_without_a_scrape_on_the_cluster_is_named_with_its_line()
    {
        using var temp = new ReadableTempDirectory();
        var provisioning = Path.Combine(temp.Path, "provisioning");
        CopyDirectory(Repo.Path("provisioning"), provisioning);
        var config = Path.Combine(provisioning, "prometheus", "prometheus.yml");
        File.AppendAllText(config, "\n  - job_name: nightly-batch\n    file_sd_configs:\n      - files: [/aspire/targets/nightly-batch.json]\n");
        var line = File.ReadAllLines(config).ToList().FindIndex(l => l.Contains("job_name: nightly-batch", StringComparison.Ordinal)) + 1;

        var ex = Assert.Throws<ExportException>(() => ExportedCluster.Of(provisioning));

        Assert.Contains($"{config}:{line}: job 'nightly-batch' has no scrape on the cluster", ex.Message);
    }

    [Fact]
    public void A_folder_holding_something_else_is_left_alone()
    {
        using var temp = new ReadableTempDirectory();
        temp.Write("notes.txt", "mine");
        using var error = new StringWriter();

        var exitCode = ExportCommand.Run(["--release", "r", "--namespace", "n", "--output", temp.Path, "--provisioning", Repo.Path("provisioning")], TextWriter.Null, error);

        Assert.Equal(2, exitCode);
        Assert.Contains("holds files that no export wrote", error.ToString());
        Assert.Equal("mine", File.ReadAllText(Path.Combine(temp.Path, "notes.txt")));
    }

    public static TheoryData<string> ManifestNames() => [.. Export.Manifests.Select(m => m.Key)];

    [Theory]
    [MemberData(nameof(ManifestNames))]
    public void Each_manifest_validates_against_the_pinned_CRDs_and_Kubernetes_schemas(string manifest)
    {
        var problems = KubernetesSchemas.Problems(Export.Files[manifest]);

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void The_PrometheusRules_the_chart_makes_of_the_values_validate_against_the_CRD()
    {
        var rules = Export.ChartPrometheusRules().ToList();

        Assert.Equal(ExportedCluster.FileAsJson(Repo.Path("provisioning", "prometheus", "alerts.yml"))["groups"]!.AsArray().Count, rules.Count);
        Assert.Equal(rules.Count, rules.Select(r => KubernetesSchemas.Json(r)!["metadata"]!["name"]!.GetValue<string>()).Distinct().Count());
        foreach (var rule in rules)
        {
            var problems = KubernetesSchemas.Problems(rule);
            Assert.True(problems.Count == 0, string.Join('\n', problems));
        }
    }

    [Fact]
    public void The_validation_rejects_unknown_fields_wrong_types_and_bad_names()
    {
        var monitor = Export.Files["manifests/servicemonitor-node.yaml"];
        Assert.Empty(KubernetesSchemas.Problems(monitor));

        Assert.Contains(KubernetesSchemas.Problems(monitor.Replace("  endpoints:", "  endpoint:", StringComparison.Ordinal)), p => p.Contains("/spec", StringComparison.Ordinal));
        Assert.NotEmpty(KubernetesSchemas.Problems(monitor.Replace("    path: /metrics", "    path: /metrics\n    scrapeEvery: 15s", StringComparison.Ordinal)));
        Assert.NotEmpty(KubernetesSchemas.Problems(monitor.Replace("    path: /metrics", "    path: [/metrics]", StringComparison.Ordinal)));
        Assert.NotEmpty(KubernetesSchemas.Problems(monitor.Replace($"name: {ExportedCluster.Release}-node", "name: Team_Node", StringComparison.Ordinal)));

        var configMap = Export.Files["manifests/dashboard-kafka.yaml"];
        Assert.Empty(KubernetesSchemas.Problems(configMap));
        Assert.NotEmpty(KubernetesSchemas.Problems(configMap.Replace("\ndata:", "\ndatas:", StringComparison.Ordinal)));
        Assert.NotEmpty(KubernetesSchemas.Problems(configMap.Replace("grafana_dashboard: \"1\"", "grafana_dashboard: \"not a/label value\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_vendored_CRDs_are_the_pinned_operators()
    {
        foreach (var file in Directory.GetFiles(KubernetesSchemas.CrdDirectory, "*.yaml"))
        {
            var crd = KubernetesSchemas.Json(File.ReadAllText(file))!;
            Assert.Equal(KubePrometheusStack.OperatorVersion, crd["metadata"]!["annotations"]!["operator.prometheus.io/version"]!.GetValue<string>());
        }

        Assert.Equal(["Probe", "PrometheusRule", "ServiceMonitor"], KubernetesSchemas.CustomKinds.Order());
    }

    [Fact]
    public void The_exported_rule_groups_read_back_equal_alerts_yml()
    {
        var source = ExportedCluster.FileAsJson(Repo.Path("provisioning", "prometheus", "alerts.yml"))["groups"]!;

        Assert.True(JsonNode.DeepEquals(source, Export.RuleGroups), "The exported rule groups differ from alerts.yml.");
        Assert.All(((JsonObject)Export.Values["additionalPrometheusRulesMap"]!).Select(e => e.Key), k => Assert.StartsWith("monitoring-", k));
    }

    [Fact]
    public void The_exported_alertmanager_config_is_alertmanager_yml_with_receiver_urls_read_from_the_mounted_secret()
    {
        var source = ExportedCluster.FileAsJson(Repo.Path("provisioning", "alertmanager", "alertmanager.yml"));
        var exported = Export.Values["alertmanager"]!["config"]!;

        // Ours as they are, then what the chart's own rules need: its InfoInhibitor dropped, its info alerts inhibited.
        var routes = (JsonArray)exported["route"]!["routes"]!;
        Assert.Equal("null", routes[0]!["receiver"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(source["route"]!["routes"], new JsonArray([.. routes.Skip(1).Select(r => r!.DeepClone())])));
        var inhibit = (JsonArray)exported["inhibit_rules"]!;
        Assert.True(JsonNode.DeepEquals(source["inhibit_rules"], new JsonArray([.. inhibit.Take(((JsonArray)source["inhibit_rules"]!).Count).Select(r => r!.DeepClone())])));
        var secret = Export.Export.ReceiverSecret;
        Assert.Equal([secret], ((JsonArray)Export.Values["alertmanager"]!["alertmanagerSpec"]!["secrets"]!).Select(s => s!.GetValue<string>()));
        foreach (var webhook in ((JsonArray)exported["receivers"]!).SelectMany(r => (JsonArray?)r!["webhook_configs"] ?? []))
        {
            Assert.Null(webhook!["url"]);
            Assert.StartsWith($"/etc/alertmanager/secrets/{secret}/", webhook["url_file"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Every_url_password_and_token_of_alertmanager_yml_is_read_from_the_secret_and_one_that_cannot_be_stops_the_export()
    {
        using var temp = new ReadableTempDirectory();
        var provisioning = Path.Combine(temp.Path, "provisioning");
        CopyDirectory(Repo.Path("provisioning"), provisioning);
        var config = Path.Combine(provisioning, "alertmanager", "alertmanager.yml");
        var text = File.ReadAllText(config);
        File.WriteAllText(config, "global:\n  slack_api_url: https://hooks.slack.invalid/T000/B000/XXXX\n  smtp_auth_password: hunter2hunter2\n" + text.Replace("receivers:\n", """
            receivers:
              - name: ops
                slack_configs:
                  - channel: '#ops'
                    api_url: https://hooks.slack.invalid/T000/B000/YYYY
                email_configs:
                  - to: ops@example.invalid
                    auth_password: correcthorsebattery
                webhook_configs:
                  - url: https://hook.invalid/a
                  - url: https://hook.invalid/b
                    http_config:
                      basic_auth: {username: am, password: s3cr3t-s3cr3t}
                      authorization: {credentials: tok3n-tok3n}

            """, StringComparison.Ordinal));

        var export = ExportedCluster.Of(provisioning);

        var values = export.Files[ClusterExport.ValuesFile];
        foreach (var literal in new[] { "XXXX", "YYYY", "hunter2hunter2", "correcthorsebattery", "hook.invalid", "s3cr3t-s3cr3t", "tok3n-tok3n" })
        {
            Assert.DoesNotContain(literal, values);
        }

        Assert.Equal(
            ["global.slack-api-url", "global.smtp-auth-password", "ops.slack.api-url", "ops.email.auth-password", "ops.webhook.url", "ops.webhook-1.url",
             "ops.webhook-1.http-config.basic-auth.password", "ops.webhook-1.http-config.authorization.credentials", "probes.webhook.url", "watchdog.webhook.url"],
            export.Export.ReceiverSecretKeys());
        Assert.Contains($"password_file: /etc/alertmanager/secrets/{ExportedCluster.Release}-alertmanager-receivers/ops.webhook-1.http-config.basic-auth.password", values);

        // WeChat's API secret has no file twin in Alertmanager: it would land in the values.
        File.WriteAllText(config, File.ReadAllText(config).Replace("receivers:\n", "receivers:\n  - name: chat\n    wechat_configs:\n      - api_secret: w3ch4t-s3cr3t\n", StringComparison.Ordinal));
        var line = File.ReadAllLines(config).ToList().FindIndex(l => l.Contains("w3ch4t", StringComparison.Ordinal)) + 1;
        var ex = Assert.Throws<ExportException>(() => ExportedCluster.Of(provisioning));
        Assert.Contains($"{config}:{line}: 'api_secret' holds a credential", ex.Message);
    }

    [Fact]
    public void The_cluster_runs_the_versions_proven_here()
    {
        var pins = File.ReadLines(Repo.Path("eng", "images", "pins.txt")).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(c => c.Length >= 4 && !c[0].StartsWith('#')).ToDictionary(c => c[0], c => c[3]);
        var values = Export.Values;

        Assert.Equal(pins["prometheus"], values["prometheus"]!["prometheusSpec"]!["image"]!["tag"]!.GetValue<string>());
        Assert.Equal(pins["alertmanager"], values["alertmanager"]!["alertmanagerSpec"]!["image"]!["tag"]!.GetValue<string>());
        Assert.Equal(pins["grafana"], values["grafana"]!["image"]!["tag"]!.GetValue<string>());
        Assert.Equal(pins["node-exporter"], values["prometheus-node-exporter"]!["image"]!["tag"]!.GetValue<string>());
        var airflow = KubernetesSchemas.Json(Export.Files[ClusterExport.AirflowValuesFile])!;
        Assert.Equal(pins["airflow"], airflow["defaultAirflowTag"]!.GetValue<string>());
        Assert.Equal(pins["statsd-exporter"], airflow["images"]!["statsd"]!["tag"]!.GetValue<string>());
    }

    [Fact]
    public void Every_job_and_kind_a_rule_or_dashboard_selects_is_produced_by_an_exported_scrape()
    {
        var produced = ClusterSelectors.Produced(Export);
        var unmatched = Selections().Where(s => !produced.Contains((s.Label, s.Value))).Select(s => $"{s.Where}: {s.Label}=\"{s.Value}\"").Distinct().ToList();

        Assert.True(unmatched.Count == 0, "Selectors that would match nothing on the cluster:\n" + string.Join('\n', unmatched));
        // The check sees what it is for: the rules select these, and the services are told apart by kind.
        Assert.Contains(("job", "node"), produced);
        Assert.Contains(("kind", "service"), produced);
    }

    [Fact]
    public void A_rule_that_would_match_nothing_on_the_cluster_is_found()
    {
        var produced = ClusterSelectors.Produced(Export);

        var selected = ClusterSelectors.Selected("up{job=\"nightly-batch\"} == 0 or up{job=~\"node|statsd\", kind!=\"x\"} or up{job=~\"$job\"}").ToList();

        Assert.Equal([("job", "nightly-batch"), ("job", "node"), ("job", "statsd")], selected);
        Assert.Equal([("job", "nightly-batch"), ("job", "statsd")], selected.Where(s => !produced.Contains(s)));
    }

    [Fact]
    public void Every_dashboard_but_Probes_is_a_ConfigMap_for_the_sidecar_in_the_provisioned_folder()
    {
        var maps = Export.Objects("ConfigMap").ToList();
        var dashboards = Directory.GetFiles(Repo.Path("provisioning", "grafana", "dashboards"), "*.json").Select(Path.GetFileName).Where(f => !ClusterExport.LocalDashboards.Contains(f!)).Order().ToList();

        Assert.Equal(dashboards, maps.SelectMany(m => ((JsonObject)m["data"]!).Select(d => d.Key)).Order());
        foreach (var map in maps)
        {
            Assert.Equal("1", map["metadata"]!["labels"]![ClusterExport.DashboardLabel]!.GetValue<string>());
            Assert.Equal("Monitoring", map["metadata"]!["annotations"]![ClusterExport.FolderAnnotation]!.GetValue<string>());
            var (name, json) = ((JsonObject)map["data"]!).Single();
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(Repo.Path("provisioning", "grafana", "dashboards", name))), JsonNode.Parse(json!.GetValue<string>())), name);
        }

        var sidecar = Export.Values["grafana"]!["sidecar"]!["dashboards"]!;
        Assert.Equal((ClusterExport.DashboardLabel, "1", ClusterExport.FolderAnnotation, true), (sidecar["label"]!.GetValue<string>(), sidecar["labelValue"]!.GetValue<string>(), sidecar["folderAnnotation"]!.GetValue<string>(), sidecar["provider"]!["foldersFromFilesStructure"]!.GetValue<bool>()));
    }

    [Fact]
    public void The_Airflow_charts_mapping_is_the_checked_in_one_with_its_defaults_in_each_mapping()
    {
        var source = ExportedCluster.FileAsJson(Repo.Path("provisioning", "statsd", "mappings.yml"));
        var exported = (JsonArray)KubernetesSchemas.Json(Export.Files[ClusterExport.AirflowValuesFile])!["statsd"]!["overrideMappings"]!;
        var mappings = (JsonArray)source["mappings"]!;

        Assert.Equal(mappings.Count, exported.Count);
        foreach (var (mine, theirs) in mappings.Zip(exported))
        {
            var expected = (JsonObject)mine!.DeepClone();
            if (expected["action"]?.GetValue<string>() != "drop")
            {
                foreach (var (key, value) in (JsonObject)source["defaults"]!)
                {
                    expected[key] ??= value!.DeepClone();
                }
            }

            Assert.True(JsonNode.DeepEquals(expected, theirs), $"{mine!["match"]}: {theirs!.ToJsonString()}");
        }
    }

    [Fact]
    public void No_object_exceeds_Kubernetes_size_limits()
    {
        // A ConfigMap holds at most 1 MiB; a client-side kubectl apply keeps the whole object in an annotation of at
        // most 256 KiB (the docs apply server-side, but a team may not).
        foreach (var (name, text) in Export.Manifests.Concat(Export.ChartPrometheusRules().Select((r, i) => KeyValuePair.Create($"PrometheusRule {i}", r))))
        {
            var json = KubernetesSchemas.Json(text)!.ToJsonString();
            Assert.True(json.Length < KubernetesSchemas.TotalAnnotationSizeLimit, $"{name}: {json.Length} bytes");
        }

        // Helm keeps the release (values included) in a Secret of at most 1 MiB.
        Assert.True(Export.Files[ClusterExport.ValuesFile].Length < 512 * 1024);
    }

    [Fact]
    public void No_exported_file_holds_a_credential()
    {
        var findings = new List<string>();
        foreach (var (name, text) in Export.Files)
        {
            Walk(KubernetesSchemas.Json(text), name, inReceivers: false);
        }

        Assert.True(findings.Count == 0, string.Join('\n', findings));

        // A receiver's URL is a credential (a Slack or webhook URL carries its token); so is any password.
        void Walk(JsonNode? node, string where, bool inReceivers)
        {
            if (node is JsonObject o)
            {
                foreach (var (key, value) in o)
                {
                    var isCredential = (inReceivers && ReceiverSecretFields.Contains(key))
                        || key.Contains("password", StringComparison.OrdinalIgnoreCase) && !key.EndsWith("Key", StringComparison.Ordinal) && !key.EndsWith("_file", StringComparison.Ordinal);
                    if (isCredential && value is JsonValue)
                    {
                        findings.Add($"{where}: {key}");
                    }

                    Walk(value, $"{where}.{key}", inReceivers || key == "receivers");
                }
            }
            else if (node is JsonArray a)
            {
                foreach (var item in a)
                {
                    Walk(item, where, inReceivers);
                }
            }
        }
    }

    private static readonly HashSet<string> ReceiverSecretFields = ["url", "api_url", "auth_password", "routing_key", "service_key", "api_key", "webhook_url", "bot_token"];

    private static IEnumerable<(string Where, string Label, string Value)> Selections()
    {
        foreach (var rule in Export.RuleGroups.SelectMany(g => (JsonArray)g!["rules"]!))
        {
            foreach (var (label, value) in ClusterSelectors.Selected(rule!["expr"]!.ToString()))
            {
                yield return ($"rule {rule["alert"] ?? rule["record"]}", label, value);
            }
        }

        foreach (var map in Export.Objects("ConfigMap"))
        {
            var (name, json) = ((JsonObject)map["data"]!).Single();
            foreach (var expr in ClusterSelectors.DashboardExpressions(JsonNode.Parse(json!.GetValue<string>())))
            {
                foreach (var (label, value) in ClusterSelectors.Selected(expr))
                {
                    yield return ($"dashboard {name}", label, value);
                }
            }
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
