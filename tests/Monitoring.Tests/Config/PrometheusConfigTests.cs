using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Config;

/// <summary>The checked-in Prometheus configuration, checked by promtool from the local Prometheus image.</summary>
public class PrometheusConfigTests
{
    private static readonly Dictionary<string, string> s_configMount = new() { [Repo.Path("provisioning", "prometheus")] = "/etc/prometheus" };

    [Fact]
    public async Task Promtool_accepts_prometheus_yml_and_its_rule_files()
    {
        await ContainerHost.RequireImagesAsync(ContainerHost.PrometheusImage);

        var (exitCode, output) = ContainerHost.RunTool(ContainerHost.PrometheusImage, "promtool", ["check", "config", "/etc/prometheus/prometheus.yml"], s_configMount);

        Assert.True(exitCode == 0, output);
        Assert.Contains("is valid prometheus config file syntax", output);
        Assert.Contains("SUCCESS: 1 rule files found", output);
    }

    [Fact]
    public async Task Promtool_accepts_the_alert_rules()
    {
        await ContainerHost.RequireImagesAsync(ContainerHost.PrometheusImage);

        var (exitCode, output) = ContainerHost.RunTool(ContainerHost.PrometheusImage, "promtool", ["check", "rules", "/etc/prometheus/alerts.yml"], s_configMount);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Promtool_accepts_the_copy_generated_with_shorter_intervals_and_capped_alerts()
    {
        await ContainerHost.RequireImagesAsync(ContainerHost.PrometheusImage);
        using var generated = new ReadableTempDirectory();
        var source = PrometheusConfigFile.Load(Repo.Path("provisioning", "prometheus", "prometheus.yml"));
        var rules = Assert.Single(source.RuleFiles("/etc/prometheus", Repo.Path("provisioning", "prometheus")));
        generated.Write("rules/alerts.yml", PrometheusRuleFile.Load(rules.OnHost).WithMaxFor("10s"));
        var copy = generated.Write("prometheus.yml", source.Generate("2s", "3s", new Dictionary<string, string> { [rules.InContainer] = "/aspire/rules/alerts.yml" }));
        var mounts = new Dictionary<string, string>(s_configMount) { [generated.Path] = "/aspire" };

        var (exitCode, output) = ContainerHost.RunTool(ContainerHost.PrometheusImage, "promtool", ["check", "config", "/aspire/prometheus.yml"], mounts);

        Assert.True(exitCode == 0, output);
        Assert.Contains("/aspire/rules/alerts.yml", output);
        var reread = PrometheusConfigFile.Load(copy);
        Assert.Equal(("2s", "3s"), (reread.ScrapeInterval, reread.EvaluationInterval));
    }

    [Fact]
    public void The_capped_copy_changes_only_the_longer_fors()
    {
        using var generated = new ReadableTempDirectory();
        var original = File.ReadAllLines(Repo.Path("provisioning", "prometheus", "alerts.yml"));
        var capped = generated.Write("alerts.yml", PrometheusRuleFile.Load(Repo.Path("provisioning", "prometheus", "alerts.yml")).WithMaxFor("30s"));

        static string[] Values(IEnumerable<string> lines, string key) =>
            [.. lines.Select(l => l.Trim()).Where(l => l.StartsWith(key, StringComparison.Ordinal)).Select(l => l[key.Length..].Trim())];
        var text = File.ReadAllLines(capped);
        Assert.NotEmpty(Values(original, "for:"));
        Assert.All(Values(text, "for:"), f => Assert.Equal("30s", f));
        Assert.Equal(Values(original, "for:").Length, Values(text, "for:").Length);
        Assert.Equal(Values(original, "- alert:"), Values(text, "- alert:"));
        Assert.Equal(Values(original, "runbook_url:"), Values(text, "runbook_url:"));
    }

    [Fact]
    public void The_checked_in_config_scrapes_every_15_seconds()
    {
        var config = PrometheusConfigFile.Load(Repo.Path("provisioning", "prometheus", "prometheus.yml"));

        Assert.Equal(("15s", "15s"), (config.ScrapeInterval, config.EvaluationInterval));
        Assert.Equal(MonitoringOptions.DefaultInterval, config.ScrapeInterval);
    }
}
