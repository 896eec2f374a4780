using Monitoring.AppHost;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Config;

/// <summary>The checked-in Prometheus configuration, checked by promtool from the local Prometheus image.</summary>
public class PrometheusConfigTests
{
    private static readonly Dictionary<string, string> s_configMount = new() { [Repo.Path("provisioning", "prometheus")] = "/etc/prometheus" };

    [Fact]
    public void Promtool_accepts_prometheus_yml_and_its_rule_files()
    {
        ContainerHost.SkipUnlessImages(ContainerHost.PrometheusImage);

        var (exitCode, output) = ContainerHost.RunTool(ContainerHost.PrometheusImage, "promtool", ["check", "config", "/etc/prometheus/prometheus.yml"], s_configMount);

        Assert.True(exitCode == 0, output);
        Assert.Contains("is valid prometheus config file syntax", output);
        Assert.Contains("SUCCESS: 1 rule files found", output);
    }

    [Fact]
    public void Promtool_accepts_the_alert_rules()
    {
        ContainerHost.SkipUnlessImages(ContainerHost.PrometheusImage);

        var (exitCode, output) = ContainerHost.RunTool(ContainerHost.PrometheusImage, "promtool", ["check", "rules", "/etc/prometheus/alerts.yml"], s_configMount);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public void Promtool_accepts_the_copy_generated_with_shorter_intervals()
    {
        ContainerHost.SkipUnlessImages(ContainerHost.PrometheusImage);
        using var generated = new ReadableTempDirectory();
        var copy = generated.Write("prometheus.yml", PrometheusConfigFile.Load(Repo.Path("provisioning", "prometheus", "prometheus.yml")).WithIntervals("2s", "3s"));
        var mounts = new Dictionary<string, string>(s_configMount) { [generated.Path] = "/aspire" };

        var (exitCode, output) = ContainerHost.RunTool(ContainerHost.PrometheusImage, "promtool", ["check", "config", "/aspire/prometheus.yml"], mounts);

        Assert.True(exitCode == 0, output);
        var reread = PrometheusConfigFile.Load(copy);
        Assert.Equal(("2s", "3s"), (reread.ScrapeInterval, reread.EvaluationInterval));
    }

    [Fact]
    public void The_checked_in_config_scrapes_every_15_seconds()
    {
        var config = PrometheusConfigFile.Load(Repo.Path("provisioning", "prometheus", "prometheus.yml"));

        Assert.Equal(("15s", "15s"), (config.ScrapeInterval, config.EvaluationInterval));
        Assert.Equal(MonitoringOptions.DefaultInterval, config.ScrapeInterval);
    }
}
