using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Monitoring.AppHost;

/// <summary>Adds Apache Airflow 3 (LocalExecutor, metadata on PostgreSQL, metrics over StatsD) to the application model.</summary>
public static class AirflowBuilderExtensions
{
    private const string DagsMountPath = "/opt/airflow/dags";
    private const string StatsdMappingMountPath = "/etc/statsd";
    private const int SchedulerHealthPort = 8974;

    /// <summary>
    /// The init container's script: migrate the metadata database, create the admin user, then set its password to the
    /// parameter's current value, every time, so a changed password takes effect on the next start. The reset cannot be
    /// the fallback of a failed create: <c>airflow users create</c> prints that the user already exists and exits 0
    /// (providers/fab auth_manager/cli_commands/user_command.py, users_create: <c>print(f"{username} already exist in the
    /// db")</c> then <c>return</c>).
    /// </summary>
    internal const string InitScript =
        "airflow db migrate && " +
        "airflow users create --username admin --password \"$AIRFLOW_ADMIN_PASSWORD\" --firstname Admin --lastname User --role Admin --email admin@localhost && " +
        "airflow users reset-password --username admin --password \"$AIRFLOW_ADMIN_PASSWORD\"";

    /// <summary>
    /// Adds Airflow as five containers of the official image: <c>{name}-init</c> (one-shot migration and admin user), then,
    /// once it has completed, <c>{name}</c> (the api-server and UI), <c>{name}-scheduler</c>, <c>{name}-dag-processor</c>
    /// and <c>{name}-triggerer</c>. DAGs come read-only from <paramref name="dagsDirectory"/>; StatsD metrics go to
    /// <paramref name="statsd"/>. The admin password and the JWT secret the processes share are secret parameters,
    /// generated when not set.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The api-server's name, and the prefix of the others.</param>
    /// <param name="database">The metadata database.</param>
    /// <param name="statsd">Where metrics go.</param>
    /// <param name="dagsDirectory">The DAG folder.</param>
    /// <returns>The api-server's resource builder.</returns>
    public static IResourceBuilder<AirflowResource> AddAirflow(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        IResourceBuilder<PostgresDatabaseResource> database,
        IResourceBuilder<StatsdExporterResource> statsd,
        string dagsDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(statsd);

        var adminPassword = builder.AddUrlSafePassword($"{name}-admin-password");
        var jwtSecret = builder.AddUrlSafePassword($"{name}-jwt-secret");
        var server = database.Resource.Parent;
        var connection = ReferenceExpression.Create(
            $"postgresql+psycopg2://{server.UserNameReference}:{server.PasswordParameter}@{server.PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}/{database.Resource.DatabaseName}");
        var dags = Path.GetFullPath(dagsDirectory);

        IResourceBuilder<AirflowResource> Add(string resourceName, AirflowRole role) => builder.AddResource(new AirflowResource(resourceName, role))
            .WithImage(PinnedImages.Airflow.Image, PinnedImages.Airflow.Tag)
            .WithImageRegistry(PinnedImages.Airflow.Registry)
            .WithBindMount(dags, DagsMountPath, isReadOnly: true)
            .WithEnvironment("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", connection)
            .WithEnvironment("AIRFLOW__CORE__EXECUTOR", "LocalExecutor")
            .WithEnvironment("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
            // New DAGs run at once: Airflow's default pauses them ([core] dags_are_paused_at_creation = True,
            // config_templates/config.yml, 3.1.3), and a paused DAG's runs never start. The stack's DAGs also say so.
            .WithEnvironment("AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION", "False")
            .WithEnvironment("AIRFLOW__CORE__AUTH_MANAGER", "airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager")
            .WithEnvironment("AIRFLOW__API_AUTH__JWT_SECRET", jwtSecret)
            .WithEnvironment("AIRFLOW__CORE__EXECUTION_API_SERVER_URL", ReferenceExpression.Create($"http://{name}.dev.internal:{AirflowResource.ApiServerPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}/execution/"))
            .WithEnvironment("AIRFLOW__METRICS__STATSD_ON", "True")
            .WithEnvironment("AIRFLOW__METRICS__STATSD_HOST", statsd.Resource.StatsdEndpoint.Property(EndpointProperty.Host))
            .WithEnvironment("AIRFLOW__METRICS__STATSD_PORT", StatsdExporterResource.StatsdPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("AIRFLOW__METRICS__STATSD_PREFIX", "airflow")
            .WithReferenceRelationship(database.Resource)
            .WaitFor(database)
            .WaitFor(statsd);

        var init = Add($"{name}-init", AirflowRole.Init)
            .WithEnvironment("AIRFLOW_ADMIN_PASSWORD", adminPassword)
            .WithArgs("bash", "-c", InitScript);

        var apiServer = Add(name, AirflowRole.ApiServer)
            .WithHttpEndpoint(targetPort: AirflowResource.ApiServerPort, name: AirflowResource.PrimaryEndpointName)
            .WithArgs("api-server")
            .WithHttpHealthCheck("/api/v2/monitor/health", endpointName: AirflowResource.PrimaryEndpointName)
            .WithUrlForEndpoint(AirflowResource.PrimaryEndpointName, url => url.DisplayText = "Airflow")
            .WaitForCompletion(init);

        Add($"{name}-scheduler", AirflowRole.Scheduler)
            .WithHttpEndpoint(targetPort: SchedulerHealthPort, name: "health")
            .WithEnvironment("AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK", "True")
            .WithArgs("scheduler")
            .WithHttpHealthCheck("/health", endpointName: "health")
            .WithParentRelationship(apiServer)
            .WaitForCompletion(init);

        foreach (var (suffix, role, command, component) in new[]
        {
            ("dag-processor", AirflowRole.DagProcessor, "dag-processor", "dag_processor"),
            ("triggerer", AirflowRole.Triggerer, "triggerer", "triggerer"),
        })
        {
            var key = $"{name}-{suffix}_check";
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                key, _ => new AirflowComponentHealthCheck(() => apiServer.Resource.GetEndpoint(AirflowResource.PrimaryEndpointName).Url, component), default, default));
            Add($"{name}-{suffix}", role)
                .WithArgs(command)
                .WithHealthCheck(key)
                .WithParentRelationship(apiServer)
                .WaitForCompletion(init);
        }

        return apiServer;
    }

    /// <summary>
    /// Adds a statsd-exporter that maps StatsD names to Prometheus metrics with <c>mappings.yml</c> from
    /// <paramref name="mappingDirectory"/> (mounted read-only). It listens for StatsD on UDP 9125 and serves
    /// <c>/metrics</c> on 9102, its health check.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="mappingDirectory">The folder holding <c>mappings.yml</c>.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<StatsdExporterResource> AddStatsdExporter(this IDistributedApplicationBuilder builder, [ResourceName] string name, string mappingDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(mappingDirectory);

        ProvisioningValidation.ValidateYamlAtStart(builder, Path.Combine(Path.GetFullPath(mappingDirectory), "mappings.yml"));
        return builder.AddResource(new StatsdExporterResource(name))
            .WithImage(PinnedImages.StatsdExporter.Image, PinnedImages.StatsdExporter.Tag)
            .WithImageRegistry(PinnedImages.StatsdExporter.Registry)
            .WithHttpEndpoint(targetPort: StatsdExporterResource.HttpPort, name: StatsdExporterResource.PrimaryEndpointName)
            .WithEndpoint(targetPort: StatsdExporterResource.StatsdPort, name: StatsdExporterResource.StatsdEndpointName, scheme: "udp", protocol: ProtocolType.Udp)
            .WithBindMount(Path.GetFullPath(mappingDirectory), StatsdMappingMountPath, isReadOnly: true)
            .WithArgs($"--statsd.mapping-config={StatsdMappingMountPath}/mappings.yml", $"--statsd.listen-udp=:{StatsdExporterResource.StatsdPort}")
            .WithHttpHealthCheck("/metrics", endpointName: StatsdExporterResource.PrimaryEndpointName);
    }
}
