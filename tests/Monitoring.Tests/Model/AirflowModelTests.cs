using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Model;

public class AirflowModelTests
{
    private static readonly string[] s_processes = ["airflow", "airflow-dag-processor", "airflow-scheduler", "airflow-triggerer"];

    [Fact]
    public async Task Runs_init_once_then_the_four_processes_of_the_pinned_official_image()
    {
        await using var app = await AppHostModel.BuildAsync();
        var init = app.Resource<AirflowResource>("airflow-init");

        Assert.Equal("docker.io/apache/airflow:3.1.3", AppHostModel.ImageOf(init));
        Assert.Equal(["bash", "-c"], (await app.ArgsOfAsync(init)).Take(2));
        Assert.StartsWith("airflow db migrate && ", (await app.ArgsOfAsync(init))[2]);
        foreach (var name in s_processes)
        {
            var process = app.Resource<AirflowResource>(name);
            Assert.Equal("docker.io/apache/airflow:3.1.3", AppHostModel.ImageOf(process));
            Assert.Contains(process.Annotations.OfType<WaitAnnotation>(), w => w.Resource == init && w.WaitType == WaitType.WaitForCompletion);
            Assert.Single(process.Annotations.OfType<HealthCheckAnnotation>());
        }

        Assert.Equal(["api-server"], await app.ArgsOfAsync(app.Resource<AirflowResource>("airflow")));
        Assert.Equal(8974, AppHostModel.EndpointOf(app.Resource<AirflowResource>("airflow-scheduler"), "health").TargetPort);
    }

    [Fact]
    public async Task Sends_statsd_metrics_to_the_exporter_and_keeps_metadata_in_postgres()
    {
        await using var app = await AppHostModel.BuildAsync();
        var environment = await app.EnvironmentOfAsync(app.Resource<AirflowResource>("airflow-scheduler"));

        Assert.Equal("True", environment["AIRFLOW__METRICS__STATSD_ON"]);
        Assert.Equal("airflow", environment["AIRFLOW__METRICS__STATSD_PREFIX"]);
        Assert.Equal("9125", environment["AIRFLOW__METRICS__STATSD_PORT"]);
        Assert.Equal("{statsd-exporter.bindings.statsd.host}", ((IManifestExpressionProvider)environment["AIRFLOW__METRICS__STATSD_HOST"]).ValueExpression);
        var connection = Assert.IsType<ReferenceExpression>(environment["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]);
        Assert.StartsWith("postgresql+psycopg2://", connection.ValueExpression);
        Assert.Contains("{postgres-password.value}", connection.ValueExpression);
        Assert.EndsWith("/airflow", connection.ValueExpression);
        Assert.Equal("False", environment["AIRFLOW__CORE__LOAD_EXAMPLES"]);
    }

    [Fact]
    public async Task Mounts_the_dags_and_the_statsd_mapping_read_only()
    {
        await using var app = await AppHostModel.BuildAsync();
        var dags = AppHostModel.MountsOf(app.Resource<AirflowResource>("airflow-scheduler"))["/opt/airflow/dags"];
        var statsd = app.Resource<StatsdExporterResource>("statsd-exporter");
        var mapping = AppHostModel.MountsOf(statsd)["/etc/statsd"];

        Assert.True(dags.IsReadOnly);
        Assert.Equal(["monitoring_fail_on_demand.py", "monitoring_heartbeat.py"], Directory.GetFiles(dags.Source!, "*.py").Select(Path.GetFileName).Order());
        Assert.True(mapping.IsReadOnly);
        Assert.True(File.Exists(Path.Combine(mapping.Source!, "mappings.yml")));
        Assert.Equal("docker.io/prom/statsd-exporter:v0.28.0", AppHostModel.ImageOf(statsd));
        Assert.Contains("--statsd.mapping-config=/etc/statsd/mappings.yml", await app.ArgsOfAsync(statsd));
        Assert.Contains(app.Resource<PrometheusResource>("prometheus").Annotations.OfType<ScrapeTargetAnnotation>(), t => t.Job == "airflow" && t.Owner == statsd);
    }

    [Fact]
    public async Task Its_secrets_are_generated_secret_parameters()
    {
        await using var app = await AppHostModel.BuildAsync();
        var init = await app.EnvironmentOfAsync(app.Resource<AirflowResource>("airflow-init"));
        var api = await app.EnvironmentOfAsync(app.Resource<AirflowResource>("airflow"));

        Assert.True(Assert.IsType<ParameterResource>(init["AIRFLOW_ADMIN_PASSWORD"]).Secret);
        Assert.True(Assert.IsType<ParameterResource>(api["AIRFLOW__API_AUTH__JWT_SECRET"]).Secret);
    }
}
