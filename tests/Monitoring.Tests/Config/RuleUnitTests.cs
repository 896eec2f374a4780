using Monitoring.Tests.Infrastructure;
using Monitoring.Tests.Kubernetes;
using YamlDotNet.RepresentationModel;

namespace Monitoring.Tests.Config;

/// <summary>The alert rules' unit tests (promtool test rules), and that every alert has them.</summary>
/// <param name="stack">The shared graph, whose start the promtool runs wait for.</param>
public class RuleUnitTests(StackFixture stack)
{
    private static readonly string s_testsDirectory = Repo.Path("provisioning", "prometheus", "tests");

    public static TheoryData<string> RuleTestFiles() => [.. Files()];

    private static IEnumerable<string> Files() => Directory.GetFiles(s_testsDirectory, "*.test.yml").Select(f => Path.GetFileName(f)).Order();

    // Every file's promtool run, in one container rather than one each: each container the runtime creates, starts and
    // removes costs CPU, which the graphs starting beside these tests need. Each file still gets its own promtool run,
    // exit code and output, which its theory case asserts.
    private static readonly Lazy<IReadOnlyDictionary<string, (int ExitCode, string Output)>> s_results = new(RunPromtool);

    [Theory]
    [MemberData(nameof(RuleTestFiles))]
    public async Task Promtool_passes_the_rule_unit_tests(string file)
    {
        await ContainerHost.RequireImagesAsync(ContainerHost.PrometheusImage);
        // promtool evaluates every rule at each 15 s step of every test: about 11 CPU-seconds (with the GOGC below),
        // which nothing else waits for. They are spent once the shared graph is up rather than beside its start and the
        // fault test's, which head the run's longest paths (StackFixture.StartEndedAsync).
        await stack.StartEndedAsync().WaitAsync(TestContext.Current.CancellationToken);

        var result = s_results.Value[file];
        Assert.True(result.ExitCode == 0, result.Output);
    }

    /// <summary>
    /// The same unit tests on the rule groups exported for kube-prometheus-stack (docs/kubernetes.md), read back from
    /// the values' <c>additionalPrometheusRulesMap</c>: the rules the cluster evaluates pass what the local ones pass.
    /// </summary>
    [Theory]
    [MemberData(nameof(RuleTestFiles))]
    public async Task Promtool_passes_the_rule_unit_tests_on_the_rules_exported_for_the_cluster(string file)
    {
        await ContainerHost.RequireImagesAsync(ContainerHost.PrometheusImage);
        await stack.StartEndedAsync().WaitAsync(TestContext.Current.CancellationToken);

        var result = s_results.Value[ExportedRun + file];
        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public void Every_alert_has_a_firing_and_a_quiet_unit_test()
    {
        var alerts = Load(Repo.Path("provisioning", "prometheus", "alerts.yml")).AllNodes.OfType<YamlMappingNode>()
            .Select(m => Scalar(m, "alert")).OfType<string>().ToHashSet();
        var cases = Directory.GetFiles(s_testsDirectory, "*.test.yml").SelectMany(f => Load(f).AllNodes.OfType<YamlMappingNode>())
            .Where(m => Scalar(m, "alertname") is not null)
            .Select(m => (Alert: Scalar(m, "alertname")!, Fires: m.Children.TryGetValue(new YamlScalarNode("exp_alerts"), out var e) && e is YamlSequenceNode { Children.Count: > 0 }))
            .ToList();

        Assert.NotEmpty(alerts);
        // Watchdog fires always, by design: it needs a firing case only.
        var untested = alerts.Where(a => !cases.Contains((a, true)) || (a != "Watchdog" && !cases.Contains((a, false)))).Order().ToList();
        Assert.True(untested.Count == 0, $"Alerts without both a firing and a quiet unit test: {string.Join(", ", untested)}");
    }

    [Fact]
    public void Every_alert_has_a_severity_summary_description_and_a_runbook_that_exists()
    {
        var runbooks = File.ReadAllText(Repo.Path("docs", "alerts.md"));
        var rules = Load(Repo.Path("provisioning", "prometheus", "alerts.yml")).AllNodes.OfType<YamlMappingNode>().Where(m => Scalar(m, "alert") is not null).ToList();

        Assert.True(rules.Count >= 25, $"only {rules.Count} alerts");
        foreach (var rule in rules)
        {
            var alert = Scalar(rule, "alert")!;
            var labels = (YamlMappingNode)rule.Children[new YamlScalarNode("labels")];
            var annotations = (YamlMappingNode)rule.Children[new YamlScalarNode("annotations")];
            Assert.Contains(Scalar(labels, "severity"), new[] { "none", "warning", "critical" });
            Assert.False(string.IsNullOrWhiteSpace(Scalar(annotations, "summary")), alert);
            Assert.False(string.IsNullOrWhiteSpace(Scalar(annotations, "description")), alert);
            Assert.Equal($"docs/alerts.md#{alert.ToLowerInvariant()}", Scalar(annotations, "runbook_url"));
            Assert.Contains($"## {alert}\n", runbooks.Replace("\r\n", "\n", StringComparison.Ordinal));
        }
    }

    private const string ExportedRun = "exported/";

    /// <summary>
    /// Runs <c>promtool test rules</c> on each test file in turn, in one container: on alerts.yml, then on the rules
    /// exported for the cluster (mounted at <c>/export</c>, with each test file's <c>rule_files</c> pointing there).
    /// </summary>
    private static IReadOnlyDictionary<string, (int ExitCode, string Output)> RunPromtool()
    {
        var files = Files().ToList();
        using var exported = new ReadableTempDirectory();
        exported.Write("alerts.yml", ExportedCluster.Default.RulesFile);
        foreach (var f in files)
        {
            // The file's rule_files point at the exported rules instead; else the run would test the local rules again.
            var test = new YamlStream();
            using (var reader = new StreamReader(Path.Combine(s_testsDirectory, f)))
            {
                test.Load(reader);
            }

            var root = (YamlMappingNode)test.Documents[0].RootNode;
            if (root.Children[new YamlScalarNode("rule_files")] is not YamlSequenceNode { Children: [YamlScalarNode { Value: "/etc/prometheus/alerts.yml" }] })
            {
                throw new InvalidOperationException($"{f}: its rule_files must be /etc/prometheus/alerts.yml alone.");
            }

            root.Children[new YamlScalarNode("rule_files")] = new YamlSequenceNode(new YamlScalarNode("/export/alerts.yml"));
            using var writer = new StringWriter();
            test.Save(writer, assignAnchors: false);
            exported.Write(Path.Combine("tests", f), writer.ToString());
        }

        var runs = files.Select(f => (IReadOnlyList<string>)["test", "rules", $"/etc/prometheus/tests/{f}"])
            .Concat(files.Select(f => (IReadOnlyList<string>)["test", "rules", $"/export/tests/{f}"]));
        var results = ContainerHost.RunToolEach(ContainerHost.PrometheusImage, "promtool", [.. runs],
            new Dictionary<string, string> { [Repo.Path("provisioning", "prometheus")] = "/etc/prometheus", [exported.Path] = "/export" },
            // About 15 s a set on a quiet machine (two cores); minutes beside the graphs starting at the same time.
            TimeSpan.FromMinutes(8),
            // Go's collector runs once the heap has grown tenfold rather than doubled: promtool keeps each test's series
            // and alerts in memory, and with the default half its CPU went to collecting (measured here: 20.5 CPU-seconds
            // for the seven files of the time, 10.7 with this, at a peak of 280 MB instead of 38). The results are the same.
            new Dictionary<string, string> { ["GOGC"] = "1000" });
        return files.Concat(files.Select(f => ExportedRun + f)).Zip(results).ToDictionary(r => r.First, r => r.Second, StringComparer.Ordinal);
    }

    private static YamlNode Load(string path)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(path);
        yaml.Load(reader);
        return yaml.Documents[0].RootNode;
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;
}
