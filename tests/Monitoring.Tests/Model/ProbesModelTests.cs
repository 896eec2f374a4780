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
    public async Task Runs_as_a_container_built_from_its_build_output_on_the_official_aspnet_image_when_asked()
    {
        await using var app = await AppHostModel.BuildAsync("Monitoring:ProbesHosting=Container");
        var probes = app.Resource<ContainerResource>("probes");

        Assert.True(probes.TryGetLastAnnotation<DockerfileBuildAnnotation>(out var build));
        Assert.True(File.Exists(Path.Combine(build.ContextPath, "Probes.dll")), build.ContextPath);
        var recipe = await build.DockerfileFactory!(new DockerfileFactoryContext { Services = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(new Microsoft.Extensions.DependencyInjection.ServiceCollection()), Resource = probes, CancellationToken = TestContext.Current.CancellationToken });
        Assert.StartsWith($"FROM mcr.microsoft.com/dotnet/aspnet:{Environment.Version.Major}.{Environment.Version.Minor}\n", recipe.ReplaceLineEndings("\n"));
        Assert.Equal(8080, AppHostModel.EndpointOf(probes).TargetPort);
        Assert.Single(probes.Annotations.OfType<HealthCheckAnnotation>());
    }

    [Fact]
    public async Task Is_monitored_as_a_service_under_its_own_job_as_seen_from_prometheus_container()
    {
        await using var app = await AppHostModel.BuildAsync();
        var target = Assert.Single(app.Resource<PrometheusResource>("prometheus").Annotations.OfType<ScrapeTargetAnnotation>(), t => t.Endpoint.Resource.Name == "probes" && t.MetricsPath == "/metrics");

        Assert.Equal(ServiceMonitoringBuilderExtensions.ServicesJob, target.Job);
        Assert.Equal("probes", target.Labels["job"]);
        Assert.Equal("service", target.Labels["kind"]);
        Assert.Equal(KnownNetworkIdentifiers.DefaultAspireContainerNetwork, target.Endpoint.ContextNetworkID);
    }

    [Fact]
    public void One_call_monitors_any_project_or_container_under_its_own_job()
    {
        var builder = DistributedApplication.CreateBuilder();
        var prometheus = builder.AddPrometheus("prometheus", Repo.Path("provisioning", "prometheus"));
        var api = builder.AddProject("orders", Repo.Path("samples", "SampleApi", "SampleApi.csproj")).WithMonitoring(prometheus);
        var worker = builder.AddContainer("worker", "example/worker", "1.0").WithHttpEndpoint(targetPort: 8080, name: "http").WithMonitoring(prometheus);

        var targets = prometheus.Resource.Annotations.OfType<ScrapeTargetAnnotation>().ToList();
        Assert.Equal(("services", "orders", "service"), Single(targets, api.Resource));
        Assert.Equal(("services", "worker", "service"), Single(targets, worker.Resource));

        static (string, string, string) Single(List<ScrapeTargetAnnotation> targets, IResource service)
        {
            var target = Assert.Single(targets, t => t.Endpoint.Resource == service);
            return (target.Job, target.Labels["job"], target.Labels["kind"]);
        }
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
        await using var app = await AppHostModel.BuildWithoutImagesAsync(["airflow", "kafka"], "Monitoring:ProbesHosting=Container");
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

    [Fact]
    public async Task Stands_in_for_airflow_and_kafka_with_synthetic_series_where_they_cannot_run()
    {
        await using var app = await AppHostModel.BuildWithoutImagesAsync(["airflow", "kafka"], "Monitoring:ProbesHosting=Container");
        var environment = await app.EnvironmentOfAsync(app.Resource<ContainerResource>("probes"));
        var targets = app.Resource<PrometheusResource>("prometheus").Annotations.OfType<ScrapeTargetAnnotation>().ToList();

        Assert.Equal("true", environment["Probes__Synthetic__Airflow"]);
        Assert.Equal("true", environment["Probes__Synthetic__Kafka"]);
        Assert.Contains(targets, t => t is { Job: "airflow", MetricsPath: "/synthetic/airflow/metrics" } && t.Endpoint.Resource.Name == "probes");
        Assert.Contains(targets, t => t is { Job: "kafka", MetricsPath: "/synthetic/kafka/metrics" } && t.Endpoint.Resource.Name == "probes");
        // The target says what it is: every series of it, up included, and every alert it fires carries the label.
        Assert.All(targets.Where(t => t.Job is "airflow" or "kafka"), t => Assert.Equal("true", t.Labels.GetValueOrDefault("synthetic")));
        Assert.All(targets.Where(t => t.Job is not ("airflow" or "kafka")), t => Assert.False(t.Labels.ContainsKey("synthetic")));
    }

    [Fact]
    public async Task Serves_no_synthetic_series_while_the_real_exporters_run()
    {
        await using var app = await AppHostModel.BuildAsync();
        var environment = await app.EnvironmentOfAsync(app.Resource<ProjectResource>("probes"));
        var targets = app.Resource<PrometheusResource>("prometheus").Annotations.OfType<ScrapeTargetAnnotation>().ToList();

        Assert.DoesNotContain(environment.Keys, k => k.StartsWith("Probes__Synthetic", StringComparison.Ordinal));
        Assert.Equal("statsd-exporter", Assert.Single(targets, t => t.Job == "airflow").Endpoint.Resource.Name);
        Assert.Equal("kafka-exporter", Assert.Single(targets, t => t.Job == "kafka").Endpoint.Resource.Name);
    }

    [Theory]
    [InlineData("WhenUnavailable", false)]
    [InlineData("WhenOff", true)]
    [InlineData("Never", false)]
    public async Task A_system_switched_off_gets_synthetic_series_only_when_asked(string setting, bool expected)
    {
        await using var app = await AppHostModel.BuildAsync("Monitoring:Components:kafka=false", $"Monitoring:SyntheticSeries={setting}");
        var environment = await app.EnvironmentOfAsync(app.Resource<ProjectResource>("probes"));

        Assert.Equal(expected, environment.ContainsKey("Probes__Synthetic__Kafka"));
        Assert.Equal(expected, app.Resource<PrometheusResource>("prometheus").Annotations.OfType<ScrapeTargetAnnotation>().Any(t => t.Job == "kafka"));
    }

    [Fact]
    public async Task Never_means_no_synthetic_series_even_where_the_systems_cannot_run()
    {
        await using var app = await AppHostModel.BuildWithoutImagesAsync(["airflow", "kafka"], "Monitoring:ProbesHosting=Container", "Monitoring:SyntheticSeries=Never");
        var environment = await app.EnvironmentOfAsync(app.Resource<ContainerResource>("probes"));

        Assert.DoesNotContain(environment.Keys, k => k.StartsWith("Probes__Synthetic", StringComparison.Ordinal));
    }
}
