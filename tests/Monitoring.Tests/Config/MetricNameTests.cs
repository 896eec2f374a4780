using System.Text.RegularExpressions;
using Monitoring.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Monitoring.Tests.Config;

/// <summary>
/// Rules and dashboards use only the Airflow and Kafka metric names the real exporters produce: Airflow's come from
/// the statsd-exporter mapping, Kafka's from kafka-exporter's list. Neither runs on every machine, so a wrong name
/// would otherwise go unnoticed.
/// </summary>
public partial class MetricNameTests
{
    [Fact]
    public void Every_airflow_metric_used_is_produced_by_the_statsd_mapping()
    {
        var produced = MappedNames().SelectMany(n => new[] { n, n + "_bucket", n + "_sum", n + "_count" }).ToHashSet();
        var used = UsedNames("airflow_");

        Assert.NotEmpty(used);
        var unknown = used.Where(n => !produced.Contains(n)).Order().ToList();
        Assert.True(unknown.Count == 0, $"Not produced by provisioning/statsd/mappings.yml: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Every_kafka_metric_used_is_one_kafka_exporter_produces()
    {
        var produced = KafkaExporterFamilies().Keys.ToHashSet();
        var used = UsedNames("kafka_");

        Assert.NotEmpty(used);
        var unknown = used.Where(n => !produced.Contains(n)).Order().ToList();
        Assert.True(unknown.Count == 0, $"Not produced by kafka-exporter: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Every_kafka_rule_names_the_kafka_exporter_source_of_each_metric_it_uses()
    {
        var lines = File.ReadAllLines(Repo.Path("provisioning", "prometheus", "alerts.yml"));
        var group = lines.SkipWhile(l => l.Trim() != "- name: kafka").Skip(1).TakeWhile(l => !l.Trim().StartsWith("- name:", StringComparison.Ordinal)).ToList();
        var rules = group.Select((l, i) => (l, i)).Where(x => x.l.Trim().StartsWith("- alert:", StringComparison.Ordinal)).Select(x => x.i).ToList();

        Assert.NotEmpty(rules);
        var uncited = new List<string>();
        for (var r = 0; r < rules.Count; r++)
        {
            var comment = string.Join(' ', group.Take(rules[r]).Reverse().TakeWhile(l => l.TrimStart().StartsWith('#')));
            var body = group.Skip(rules[r]).Take((r + 1 < rules.Count ? rules[r + 1] : group.Count) - rules[r]).Where(l => !l.TrimStart().StartsWith('#'));
            var used = body.SelectMany(l => MetricName().Matches(l).Select(m => m.Value)).Where(n => n.StartsWith("kafka_", StringComparison.Ordinal)).Distinct();
            var missing = used.Where(n => !comment.Contains(n, StringComparison.Ordinal)).ToList();
            if (missing.Count > 0 || !comment.Contains("kafka_exporter.go", StringComparison.Ordinal) || !comment.Contains("v1.9.0", StringComparison.Ordinal))
            {
                uncited.Add($"{group[rules[r]].Trim()} (uncited: {string.Join(", ", missing)})");
            }
        }

        Assert.True(uncited.Count == 0, $"Kafka rules whose comment does not name kafka_exporter.go at v1.9.0 for each metric: {string.Join("; ", uncited)}");
    }

    [Fact]
    public void The_mapping_gives_every_airflow_family_the_rules_need()
    {
        var names = MappedNames();

        Assert.Contains("airflow_scheduler_heartbeat_total", names);
        Assert.Contains("airflow_dagrun_duration_seconds", names);
        Assert.Contains("airflow_ti_failures_total", names);
        Assert.Contains("airflow_dag_processing_import_errors", names);
        Assert.Contains("airflow_pool_scheduled_slots", names);
        Assert.Contains("airflow_pool_open_slots", names);
        Assert.Contains("airflow_executor_open_slots", names);
    }

    /// <summary>kafka-exporter's metric families and their labels, from the checked-in list.</summary>
    internal static Dictionary<string, string[]> KafkaExporterFamilies() =>
        File.ReadAllLines(Repo.Path("provisioning", "kafka", "kafka-exporter-metrics.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1].Split(',') : []);

    /// <summary>
    /// The families statsd-exporter makes of Airflow's metrics with the checked-in mapping, and their labels. Mappings
    /// that make the same family (a glob and its regex twin for ids with dots) must give it the same labels.
    /// </summary>
    internal static Dictionary<string, string[]> StatsdFamilies() =>
        MappingNodes().GroupBy(m => ((YamlScalarNode)m.Children[new YamlScalarNode("name")]).Value!).ToDictionary(
            family => family.Key,
            family =>
            {
                var labelSets = family.Select(m => m.Children.TryGetValue(new YamlScalarNode("labels"), out var labels)
                        ? string.Join(',', ((YamlMappingNode)labels).Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!).Order(StringComparer.Ordinal))
                        : "").Distinct().ToList();
                Assert.True(labelSets.Count == 1, $"mappings.yml gives {family.Key} different labels: {string.Join(" / ", labelSets)}");
                return labelSets[0].Length == 0 ? [] : labelSets[0].Split(',');
            });

    private static HashSet<string> MappedNames() => [.. StatsdFamilies().Keys];

    private static IEnumerable<YamlMappingNode> MappingNodes()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Repo.Path("provisioning", "statsd", "mappings.yml")))
        {
            yaml.Load(reader);
        }

        var mappings = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("mappings")];
        // Dropped names produce no family.
        return mappings.Children.OfType<YamlMappingNode>()
            .Where(m => !(m.Children.TryGetValue(new YamlScalarNode("action"), out var action) && action.ToString() == "drop"));
    }

    private static HashSet<string> UsedNames(string prefix)
    {
        // YAML comments cite upstream files (kafka_exporter.go); only what is evaluated counts.
        static string WithoutComments(string path) => string.Join('\n', File.ReadAllLines(path).Where(l => !l.TrimStart().StartsWith('#')));
        var texts = new[] { WithoutComments(Repo.Path("provisioning", "prometheus", "alerts.yml")) }
            .Concat(DashboardFiles.All().Select(File.ReadAllText))
            .Concat(Directory.GetFiles(Repo.Path("provisioning", "prometheus", "tests"), "*.yml").Select(WithoutComments));
        return [.. texts.SelectMany(t => MetricName().Matches(t).Select(m => m.Value)).Where(n => n.StartsWith(prefix, StringComparison.Ordinal))];
    }

    [GeneratedRegex(@"\b(airflow|kafka)_[a-z_]+\b")]
    private static partial Regex MetricName();
}
