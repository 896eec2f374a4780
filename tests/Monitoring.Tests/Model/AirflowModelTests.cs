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

        Assert.Equal(PinnedImages.Of("airflow").OfficialReference, AppHostModel.ImageOf(init));
        Assert.Equal(["bash", "-c"], (await app.ArgsOfAsync(init)).Take(2));
        Assert.StartsWith("airflow db migrate && ", (await app.ArgsOfAsync(init))[2]);
        foreach (var name in s_processes)
        {
            var process = app.Resource<AirflowResource>(name);
            Assert.Equal(PinnedImages.Of("airflow").OfficialReference, AppHostModel.ImageOf(process));
            Assert.Contains(process.Annotations.OfType<WaitAnnotation>(), w => w.Resource == init && w.WaitType == WaitType.WaitForCompletion);
            Assert.Single(process.Annotations.OfType<HealthCheckAnnotation>());
        }

        Assert.Equal(["api-server"], await app.ArgsOfAsync(app.Resource<AirflowResource>("airflow")));
        Assert.Equal(8974, AppHostModel.EndpointOf(app.Resource<AirflowResource>("airflow-scheduler"), "health").TargetPort);
    }

    [Fact]
    public async Task New_dags_are_unpaused_in_every_process_and_in_every_dag_file()
    {
        await using var app = await AppHostModel.BuildAsync();

        foreach (var name in s_processes.Append("airflow-init"))
        {
            Assert.Equal("False", (await app.EnvironmentOfAsync(app.Resource<AirflowResource>(name)))["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"]);
        }

        // And each DAG says so itself, so it runs in any Airflow it is dropped into.
        var dags = Directory.GetFiles(Repo.Path("provisioning", "airflow", "dags"), "*.py");
        Assert.NotEmpty(dags);
        Assert.All(dags, dag => Assert.Contains("is_paused_upon_creation=False", File.ReadAllText(dag)));
    }

    [Fact]
    public async Task The_init_script_applies_a_changed_admin_password_on_every_start()
    {
        // Run with bash in a Debian container, as in the Airflow image (whose image need not be here): the Postgres one.
        await ContainerHost.RequireImagesAsync(ContainerHost.PostgresImage);
        // A stand-in for the airflow CLI that answers as FAB's does (providers/fab auth_manager/cli_commands/
        // user_command.py): users create reports an existing user and exits 0; users reset-password sets the password.
        using var bin = new ReadableTempDirectory();
        var airflow = bin.Write("airflow", """
            #!/bin/bash
            state=/tmp/admin-password
            pw=""; prev=""
            for a in "$@"; do [ "$prev" = "--password" ] && pw="$a"; prev="$a"; done
            case "$1 $2" in
              "db migrate") exit 0 ;;
              "users create")
                if [ -f "$state" ]; then echo "admin already exist in the db"; exit 0; fi
                printf '%s' "$pw" > "$state"; echo 'User "admin" created with role "Admin"'; exit 0 ;;
              "users reset-password")
                [ -f "$state" ] || { echo "user not found" >&2; exit 1; }
                printf '%s' "$pw" > "$state"; exit 0 ;;
            esac
            echo "unexpected: $*" >&2; exit 2
            """.ReplaceLineEndings("\n"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(airflow, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        // Two starts of the same database, the second with a changed password: each time the password the CLI holds.
        const string starts = """
            for password in first changed; do
              AIRFLOW_ADMIN_PASSWORD=$password bash -c "$INIT" >/dev/null || exit 1
              echo "holds: $(cat /tmp/admin-password)"
            done
            """;
        var (exitCode, output) = ContainerHost.RunTool(ContainerHost.PostgresImage, "bash", ["-c", starts.ReplaceLineEndings("\n")],
            new Dictionary<string, string> { [bin.Path] = "/stub" }, environment: new Dictionary<string, string>
            {
                ["INIT"] = AirflowBuilderExtensions.InitScript,
                ["PATH"] = "/stub:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            });

        Assert.True(exitCode == 0, output);
        Assert.Equal(["holds: first", "holds: changed"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
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
