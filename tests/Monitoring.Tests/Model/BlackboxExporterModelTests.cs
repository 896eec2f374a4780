using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Model;

public class BlackboxExporterModelTests
{
    [Fact]
    public async Task Runs_the_pinned_official_image_with_the_checked_in_modules()
    {
        await using var official = await AppHostModel.BuildAsync();
        var exporter = official.Resource<BlackboxExporterResource>("blackbox-exporter");

        Assert.Equal(PinnedImages.Of("blackbox-exporter").OfficialReference, AppHostModel.ImageOf(exporter));
        var config = AppHostModel.MountsOf(exporter)["/etc/blackbox_exporter"];
        Assert.True(config.IsReadOnly);
        Assert.True(File.Exists(Path.Combine(config.Source!, "config.yml")));
        Assert.Equal(9115, AppHostModel.EndpointOf(exporter).TargetPort);
        Assert.Single(exporter.Annotations.OfType<HealthCheckAnnotation>());
    }

    [Fact]
    public async Task Probes_the_http_endpoints_of_the_services()
    {
        await using var app = await AppHostModel.BuildAsync();
        var exporter = app.Resource<BlackboxExporterResource>("blackbox-exporter");

        var probes = exporter.Annotations.OfType<HttpProbeAnnotation>().Select(p => $"{p.Endpoint.Resource.Name}{p.Path}").Order();
        Assert.Equal(["airflow/api/v2/monitor/health", "alertmanager/-/ready", "grafana/api/health", "probes/status", "prometheus/-/ready"], probes);
        Assert.Contains(app.Resource<PrometheusResource>("prometheus").Annotations.OfType<BlackboxProbesAnnotation>(), a => a.Job == "blackbox" && a.Owner == exporter);
    }
}
