using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Model;

public class PostgresModelTests
{
    [Fact]
    public async Task Runs_the_pinned_official_image_or_the_local_one_with_a_data_volume()
    {
        await using var official = await AppHostModel.BuildAsync();
        await using var local = await AppHostModel.BuildAsync("Monitoring:ImageSource=Local");
        var postgres = official.Resource<PostgresServerResource>("postgres");

        Assert.Equal("docker.io/library/postgres:18.3", AppHostModel.ImageOf(postgres));
        Assert.Equal("localhost/monitoring/postgres:15", AppHostModel.ImageOf(local.Resource<PostgresServerResource>("postgres")));
        Assert.Equal(ContainerMountType.Volume, AppHostModel.MountsOf(postgres)["/var/lib/postgresql"].Type);
        Assert.Equal(5432, AppHostModel.EndpointOf(postgres, "tcp").TargetPort);
        Assert.NotEmpty(postgres.Annotations.OfType<HealthCheckAnnotation>());
    }

    [Fact]
    public async Task Has_airflows_database_and_a_secret_password_parameter()
    {
        await using var app = await AppHostModel.BuildAsync();
        var postgres = app.Resource<PostgresServerResource>("postgres");

        Assert.Equal("airflow", app.Resource<PostgresDatabaseResource>("airflow-db").DatabaseName);
        Assert.True(postgres.PasswordParameter.Secret);
    }

    [Fact]
    public async Task The_exporter_connects_with_the_servers_parameters_and_waits_for_it()
    {
        await using var app = await AppHostModel.BuildAsync();
        var exporter = app.Resource<PostgresExporterResource>("postgres-exporter");
        var postgres = app.Resource<PostgresServerResource>("postgres");

        Assert.Equal("quay.io/prometheuscommunity/postgres-exporter:v0.17.1", AppHostModel.ImageOf(exporter));
        Assert.Equal(["postgres"], AppHostModel.WaitsFor(exporter));
        Assert.Equal(9187, AppHostModel.EndpointOf(exporter).TargetPort);
        var environment = await app.EnvironmentOfAsync(exporter);
        Assert.Same(postgres.PasswordParameter, environment["DATA_SOURCE_PASS"]);
        Assert.IsType<ReferenceExpression>(environment["DATA_SOURCE_USER"], exactMatch: false);
        Assert.Equal("postgres", Assert.Single(app.Resource<PrometheusResource>("prometheus").Annotations.OfType<ScrapeTargetAnnotation>(), t => t.Endpoint.Resource == exporter).Job);
    }

    [Fact]
    public async Task Switching_postgres_off_removes_its_exporter_too()
    {
        await using var app = await AppHostModel.BuildAsync("Monitoring:Components:postgres=false");

        Assert.False(app.Has("postgres"));
        Assert.False(app.Has("postgres-exporter"));
    }
}
