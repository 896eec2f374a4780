using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Model;

public class ProbesModelTests
{
    [Fact]
    public async Task Runs_as_the_project_by_default()
    {
        await using var app = await AppHostModel.BuildAsync();
        var probes = app.Resource<ProjectResource>("probes");

        Assert.NotNull(AppHostModel.EndpointOf(probes));
        Assert.Single(probes.Annotations.OfType<HealthCheckAnnotation>());
    }

    [Fact]
    public async Task Runs_as_its_local_container_when_asked()
    {
        await using var app = await AppHostModel.BuildAsync("Monitoring:ProbesHosting=Container");
        var probes = app.Resource<ContainerResource>("probes");

        Assert.Equal(ContainerHost.ProbesImage, AppHostModel.ImageOf(probes));
        Assert.Equal(8080, AppHostModel.EndpointOf(probes).TargetPort);
        Assert.Single(probes.Annotations.OfType<HealthCheckAnnotation>());
    }

    [Fact]
    public async Task Is_scraped_by_prometheus_as_seen_from_its_container()
    {
        await using var app = await AppHostModel.BuildAsync();
        var target = Assert.Single(app.Resource<PrometheusResource>("prometheus").Annotations.OfType<ScrapeTargetAnnotation>(), t => t.Job == "probes");

        Assert.Equal("probes", target.Endpoint.Resource.Name);
        Assert.Equal("/metrics", target.MetricsPath);
        Assert.Equal(KnownNetworkIdentifiers.DefaultAspireContainerNetwork, target.Endpoint.ContextNetworkID);
    }
}
