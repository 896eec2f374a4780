using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Model;

public class PostgresModelTests
{
    [Fact]
    public async Task Runs_the_pinned_official_image_with_a_data_volume()
    {
        await using var official = await AppHostModel.BuildAsync();
        var postgres = official.Resource<PostgresServerResource>("postgres");

        Assert.Equal(PinnedImages.Of("postgres").OfficialReference, AppHostModel.ImageOf(postgres));
        Assert.Equal(ContainerMountType.Volume, AppHostModel.MountsOf(postgres)["/var/lib/postgresql"].Type);
        Assert.Equal(5432, AppHostModel.EndpointOf(postgres, "tcp").TargetPort);
        Assert.NotEmpty(postgres.Annotations.OfType<HealthCheckAnnotation>());
    }

    [Fact]
    public async Task Its_data_volume_is_named_for_the_pinned_major_version()
    {
        await using var app = await AppHostModel.BuildAsync();
        var volume = AppHostModel.MountsOf(app.Resource<PostgresServerResource>("postgres"))["/var/lib/postgresql"].Source;

        Assert.EndsWith($"-postgres-data-pg{PinnedImages.Of("postgres").Version.Split('.')[0]}", volume);
    }

    [Fact]
    public void Another_major_version_gets_another_volume_so_its_data_never_meets_this_ones()
    {
        // A data directory of one major version cannot be opened by another (the official 18 image refuses to start on
        // older data): a pin moved to a new major must start on a fresh volume, and leave the old one for pg_upgrade.
        var builder = DistributedApplication.CreateBuilder();
        var password = builder.AddParameter("pw", secret: true);
        var seventeen = builder.AddPostgres("pg", password: password).WithImageTag("17.6").WithDataVolumePerMajorVersion();
        var eighteen = builder.AddPostgres("pg2", password: password).WithImageTag("18.6").WithDataVolumePerMajorVersion();

        static string? VolumeOf(IResource postgres) => AppHostModel.MountsOf(postgres).Values.Single(m => m.Type == ContainerMountType.Volume).Source;
        var (a, b) = (VolumeOf(seventeen.Resource), VolumeOf(eighteen.Resource));
        Assert.EndsWith("-pg17", a);
        Assert.EndsWith("-pg18", b);
        Assert.Throws<InvalidOperationException>(() => builder.AddPostgres("pg3", password: password).WithImageTag("latest").WithDataVolumePerMajorVersion());
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

        Assert.Equal(PinnedImages.Of("postgres-exporter").OfficialReference, AppHostModel.ImageOf(exporter));
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
