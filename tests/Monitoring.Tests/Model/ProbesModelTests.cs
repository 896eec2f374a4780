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

    [Fact]
    public async Task Runs_its_kafka_workload_against_the_broker_once_it_is_healthy()
    {
        await using var app = await AppHostModel.BuildAsync();
        var probes = app.Resource<ProjectResource>("probes");
        var environment = await app.EnvironmentOfAsync(probes);

        Assert.Equal("{kafka.bindings.tcp.host}:{kafka.bindings.tcp.port}", ((IManifestExpressionProvider)environment["Kafka__BootstrapServers"]).ValueExpression);
        Assert.Equal(["kafka"], AppHostModel.WaitsFor(probes));
    }

    [Fact]
    public async Task Without_kafka_it_runs_no_workload()
    {
        await using var app = await AppHostModel.BuildAsync("Monitoring:ImageSource=Local", "Monitoring:ProbesHosting=Container");
        var environment = await app.EnvironmentOfAsync(app.Resource<ContainerResource>("probes"));

        Assert.False(environment.ContainsKey("Kafka__BootstrapServers"));
    }

    [Fact]
    public async Task Has_a_dashboard_command_for_each_scenario_probes_knows()
    {
        await using var app = await AppHostModel.BuildAsync();
        var commands = app.Resource<ProjectResource>("probes").Annotations.OfType<ResourceCommandAnnotation>().Select(c => c.Name).ToList();

        Assert.Equal(Monitoring.Probes.ScenarioCatalog.All.Select(s => s.Name).Order(), ProbesBuilderExtensions.Scenarios.Order());
        Assert.All(ProbesBuilderExtensions.Scenarios, s => Assert.Contains($"scenario-{s}", commands));
    }
}
