using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Model;

public class PrometheusModelTests
{
    [Fact]
    public async Task Runs_the_pinned_official_image_by_default()
    {
        await using var app = await AppHostModel.BuildAsync();
        var image = AppHostModel.ImageOf(app.Resource<PrometheusResource>("prometheus"));

        Assert.Equal(PinnedImages.Of("prometheus").OfficialReference, image);
    }

    [Fact]
    public async Task Mounts_the_checked_in_config_read_only_and_keeps_data_in_a_named_volume()
    {
        await using var app = await AppHostModel.BuildAsync();
        var mounts = AppHostModel.MountsOf(app.Resource<PrometheusResource>("prometheus"));

        var config = mounts["/etc/prometheus"];
        Assert.Equal(ContainerMountType.BindMount, config.Type);
        Assert.True(config.IsReadOnly);
        Assert.Equal(Repo.Path("provisioning", "prometheus"), config.Source);
        Assert.True(File.Exists(Path.Combine(config.Source!, "prometheus.yml")));
        Assert.True(File.Exists(Path.Combine(config.Source!, "alerts.yml")));

        var generated = mounts["/aspire"];
        Assert.True(generated.IsReadOnly);
        Assert.Contains("aspire-monitoring", generated.Source);

        var data = mounts["/prometheus"];
        Assert.Equal(ContainerMountType.Volume, data.Type);
        Assert.False(string.IsNullOrEmpty(data.Source));
    }

    [Fact]
    public async Task Keeps_15_days_by_default_with_the_lifecycle_api_on()
    {
        await using var app = await AppHostModel.BuildAsync();
        var args = await app.ArgsOfAsync(app.Resource<PrometheusResource>("prometheus"));

        Assert.Contains("--storage.tsdb.retention.time=15d", args);
        Assert.Contains("--storage.tsdb.path=/prometheus", args);
        Assert.Contains("--web.enable-lifecycle", args);
        Assert.Contains("--config.file=/etc/prometheus/prometheus.yml", args);
    }

    [Fact]
    public async Task Retention_comes_from_its_parameter()
    {
        await using var app = await AppHostModel.BuildAsync("Parameters:prometheus-retention=30d");
        var args = await app.ArgsOfAsync(app.Resource<PrometheusResource>("prometheus"));

        Assert.Contains("--storage.tsdb.retention.time=30d", args);
    }

    [Fact]
    public async Task Shorter_intervals_run_a_generated_copy_of_the_config()
    {
        await using var app = await AppHostModel.BuildAsync("Monitoring:ScrapeInterval=2s", "Monitoring:EvaluationInterval=3s");
        var prometheus = app.Resource<PrometheusResource>("prometheus");

        Assert.Equal(("2s", "3s"), (prometheus.ScrapeInterval, prometheus.EvaluationInterval));
        Assert.Contains("--config.file=/aspire/prometheus.yml", await app.ArgsOfAsync(prometheus));
    }

    [Fact]
    public async Task Max_alert_for_runs_capped_copies_of_the_rule_files()
    {
        await using var app = await AppHostModel.BuildAsync("Monitoring:MaxAlertFor=10s");
        var prometheus = app.Resource<PrometheusResource>("prometheus");

        Assert.Equal("10s", prometheus.MaxAlertFor);
        Assert.Contains("--config.file=/aspire/prometheus.yml", await app.ArgsOfAsync(prometheus));
    }

    [Fact]
    public async Task By_default_the_rules_run_as_written()
    {
        await using var app = await AppHostModel.BuildAsync();
        var prometheus = app.Resource<PrometheusResource>("prometheus");

        Assert.Null(prometheus.MaxAlertFor);
        Assert.Contains("--config.file=/etc/prometheus/prometheus.yml", await app.ArgsOfAsync(prometheus));
    }

    [Fact]
    public async Task An_invalid_max_alert_for_is_rejected_naming_the_setting()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => AppHostModel.BuildAsync("Monitoring:MaxAlertFor=soon"));

        Assert.Contains("Monitoring:MaxAlertFor", (ex.InnerException ?? ex).Message);
    }

    [Fact]
    public async Task Exposes_its_ui_on_9090_with_a_readiness_health_check()
    {
        await using var app = await AppHostModel.BuildAsync();
        var prometheus = app.Resource<PrometheusResource>("prometheus");

        Assert.Equal(9090, AppHostModel.EndpointOf(prometheus).TargetPort);
        Assert.Single(prometheus.Annotations.OfType<HealthCheckAnnotation>());
    }

    [Fact]
    public async Task Scrapes_every_job_of_prometheus_yml_and_nothing_else()
    {
        await using var app = await AppHostModel.BuildAsync();
        var prometheus = app.Resource<PrometheusResource>("prometheus");
        var jobs = prometheus.Annotations.OfType<IScrapeTargetSource>().Select(t => $"{t.Job}.json").Distinct().Order().ToList();
        var files = PrometheusConfigFile.Load(Repo.Path("provisioning", "prometheus", "prometheus.yml")).GeneratedTargetFiles.Order().ToList();

        Assert.Contains("prometheus.json", files);
        Assert.Equal(files, jobs);
    }

    [Fact]
    public async Task Starts_after_the_exporters_and_alertmanager_it_depends_on()
    {
        await using var app = await AppHostModel.BuildAsync();
        var prometheus = app.Resource<PrometheusResource>("prometheus");

        Assert.Equal(ScrapedContainers(prometheus), AppHostModel.WaitsFor(prometheus));
        Assert.Contains("node-exporter", ScrapedContainers(prometheus));
    }

    /// <summary>The containers, Prometheus' own aside, whose targets Prometheus scrapes (the projects are not awaited: Probes serves the webhook Alertmanager calls).</summary>
    private static IReadOnlyList<string> ScrapedContainers(PrometheusResource prometheus) =>
        [.. prometheus.Annotations.OfType<IScrapeTargetSource>().Select(s => s.Owner).OfType<ContainerResource>().Where(r => r != prometheus).Select(r => r.Name).Distinct().Order()];

    [Fact]
    public async Task A_switched_off_component_is_neither_run_nor_scraped_nor_awaited()
    {
        await using var app = await AppHostModel.BuildAsync("Monitoring:Components:node-exporter=false");
        var prometheus = app.Resource<PrometheusResource>("prometheus");

        Assert.False(app.Has("node-exporter"));
        Assert.DoesNotContain(prometheus.Annotations.OfType<ScrapeTargetAnnotation>(), t => t.Job == "node");
        Assert.DoesNotContain("node-exporter", AppHostModel.WaitsFor(prometheus));
        Assert.Equal(ScrapedContainers(prometheus), AppHostModel.WaitsFor(prometheus));
    }

    [Fact]
    public async Task An_invalid_interval_setting_is_rejected_naming_the_setting()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => AppHostModel.BuildAsync("Monitoring:ScrapeInterval=fast"));

        Assert.Contains("Monitoring:ScrapeInterval", (ex.InnerException ?? ex).Message);
    }

    [Fact]
    public async Task Has_a_reload_command_in_the_dashboard()
    {
        await using var app = await AppHostModel.BuildAsync();

        Assert.Contains(app.Resource<PrometheusResource>("prometheus").Annotations.OfType<ResourceCommandAnnotation>(),
            c => c.Name == PrometheusBuilderExtensions.ReloadCommandName && c.DisplayName == "Reload configuration");
    }

    [Fact]
    public async Task Building_the_model_writes_nothing_to_disk()
    {
        string generated;
        // A model of its own (the shared ones are read by many tests): the default settings, spelt out.
        await using (var app = await AppHostModel.BuildAsync($"Monitoring:ScrapeInterval={MonitoringOptions.DefaultInterval}"))
        {
            generated = app.Resource<PrometheusResource>("prometheus").GeneratedDirectory;
        }

        Assert.False(Directory.Exists(generated));
    }
}
