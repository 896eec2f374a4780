using System.Reflection;
using System.Runtime.Versioning;

namespace Monitoring.AppHost;

/// <summary>Adds the Probes service (metrics, fault scenarios, the Alertmanager webhook receiver).</summary>
public static class ProbesBuilderExtensions
{
    /// <summary>The path of Probes' Alertmanager webhook.</summary>
    public const string WebhookPath = "/alertmanager/webhook";

    /// <summary>The label of every series (and alert) that comes from Probes' synthetic stand-ins.</summary>
    public const string SyntheticLabel = "synthetic";

    private const int ContainerHttpPort = 8080;

    /// <summary>The Probes fault scenarios, each a command in the dashboard (kept equal to Probes' ScenarioCatalog by a test).</summary>
    public static readonly IReadOnlyList<string> Scenarios =
    [
        "error-burst", "latency-spike", "endpoint-down", "endpoint-slow",
        "kafka-lag", "kafka-broker-down", "kafka-under-replicated", "kafka-offline-partitions",
        "airflow-scheduler-stopped", "airflow-dag-failures", "airflow-import-errors", "airflow-pool-starving",
    ];

    /// <summary>
    /// Adds Probes as the .NET project (default) or as a container (see <see cref="ProbesHosting"/>): the orchestrator
    /// builds its image from the project's build output on the official ASP.NET Core runtime image of the framework it
    /// targets (<see cref="ContainerRecipe"/>). Either way it has an <c>http</c> endpoint and <c>/health</c> is its health check.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="hosting">How it runs.</param>
    /// <param name="kafka">A broker for its Kafka workload (producer and consumer group); none when not given.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<IResourceWithEndpoints> AddProbes(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, ProbesHosting hosting, IResourceBuilder<KafkaBrokerResource>? kafka = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        IResourceBuilder<IResourceWithEndpoints> probes = hosting switch
        {
            ProbesHosting.Project => WithKafka(builder.AddProject<Projects.Probes>(name), kafka, k => k.ConnectionStringExpression)
                .WithHttpHealthCheck("/health"),
            ProbesHosting.Container => WithKafka(AsContainer(builder, name), kafka,
                    k => ReferenceExpression.Create($"{k.InternalEndpoint.Property(EndpointProperty.HostAndPort)}"))
                .WithHttpEndpoint(targetPort: ContainerHttpPort, name: "http")
                .WithOtlpExporter()
                .WithHttpHealthCheck("/health"),
            _ => throw new ArgumentOutOfRangeException(nameof(hosting), hosting, "Unknown Probes hosting."),
        };

        foreach (var scenario in Scenarios)
        {
            probes.WithHttpCommand($"/scenarios/{scenario}", $"Start {scenario}", commandName: $"scenario-{scenario}", commandOptions: new HttpCommandOptions
            {
                Method = HttpMethod.Post,
                Description = $"Starts the '{scenario}' fault with its default parameters (see GET /scenarios).",
                IconName = "Flash",
            });
        }

        return probes;
    }

    /// <summary>
    /// Has Probes serve synthetic series shaped like a system's real exporter (<c>/synthetic/{system}/metrics</c>) and
    /// Prometheus scrape them under that exporter's job, so the system's dashboard and alerts work where it cannot run.
    /// The target is labelled <c>synthetic="true"</c>: every series of it carries the label, <c>up</c> included, and
    /// the rules keep it in their aggregations, so an alert it fires says so in its notification. Call it only when
    /// the real exporter is not in the graph.
    /// </summary>
    /// <param name="probes">The Probes resource builder.</param>
    /// <param name="system">The system: <c>airflow</c> or <c>kafka</c>.</param>
    /// <param name="prometheus">The Prometheus that scrapes them.</param>
    /// <param name="job">The job of the real exporter in <c>prometheus.yml</c>.</param>
    /// <returns>The Probes resource builder.</returns>
    public static IResourceBuilder<IResourceWithEndpoints> WithSyntheticSeries(
        this IResourceBuilder<IResourceWithEndpoints> probes, string system, IResourceBuilder<PrometheusResource> prometheus, string job)
    {
        ArgumentNullException.ThrowIfNull(probes);
        ArgumentNullException.ThrowIfNull(prometheus);
        if (system is not ("airflow" or "kafka"))
        {
            throw new ArgumentOutOfRangeException(nameof(system), system, "Probes has synthetic series for 'airflow' and 'kafka'.");
        }

        var setting = $"Probes__Synthetic__{char.ToUpperInvariant(system[0])}{system[1..]}";
        probes.WithAnnotation(new EnvironmentCallbackAnnotation(context => context.EnvironmentVariables[setting] = "true"));
        prometheus.WithScrapeTarget(job, probes, metricsPath: $"/synthetic/{system}/metrics", labels: new Dictionary<string, string> { [SyntheticLabel] = "true" });
        return probes;
    }

    /// <summary>The official ASP.NET Core runtime image Probes' container runs on: that of the framework the projects target.</summary>
    public static string RuntimeImage { get; } = $"mcr.microsoft.com/dotnet/aspnet:{TargetFrameworkVersion()}";

    /// <summary>
    /// The recipe of Probes' image: its build output (framework-dependent, so the same on every OS) on
    /// <see cref="RuntimeImage"/>, as its non-root user (the image's <c>APP_UID</c>), listening on the port the image
    /// sets (<c>ASPNETCORE_HTTP_PORTS=8080</c>).
    /// </summary>
    public static string ContainerRecipe { get; } = $$"""
        FROM {{RuntimeImage}}
        COPY . /app/
        WORKDIR /app
        USER $APP_UID
        ENTRYPOINT ["dotnet", "/app/Probes.dll"]
        """;

    /// <summary>
    /// Probes as a container built from <see cref="ContainerRecipe"/>, the build output its context, without the native
    /// libraries of platforms no Linux container runs (the Kafka client's for Windows, macOS and s390x, 45 of the
    /// output's 108 MB) and the symbols and XML docs: each graph start sends the context to the runtime's builder.
    /// </summary>
    private static IResourceBuilder<ContainerResource> AsContainer(IDistributedApplicationBuilder builder, string name)
    {
        var container = builder.AddDockerfileFactory(name, BuildOutput(new Projects.Probes()), _ => ContainerRecipe);
        container.Resource.Annotations.OfType<DockerfileBuildAnnotation>().Single().BuildContextIgnoreContent =
            "runtimes/osx-*\nruntimes/win-*\nruntimes/linux-s390x\n*.pdb\n*.xml\n";
        return container;
    }

    /// <summary>The project's build output, built with the AppHost (which references it) in the same configuration.</summary>
    private static string BuildOutput(IProjectMetadata project)
    {
        var configuration = typeof(ProbesBuilderExtensions).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var output = Path.Combine(Path.GetDirectoryName(project.ProjectPath)!, "bin", configuration, $"net{TargetFrameworkVersion()}");
        return File.Exists(Path.Combine(output, "Probes.dll"))
            ? output
            : throw new InvalidOperationException(
                $"Probes runs as a container from its build output, and there is none in {output}: build it first ('dotnet build {project.ProjectPath} -c {configuration}'; building the AppHost builds it).");
    }

    /// <summary>The version of .NET the AppHost (and every project of the repository) targets: 10.0 for net10.0.</summary>
    private static string TargetFrameworkVersion()
    {
        var framework = typeof(ProbesBuilderExtensions).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName ?? ".NETCoreApp,Version=v10.0";
        return framework[(framework.IndexOf("Version=v", StringComparison.Ordinal) + "Version=v".Length)..];
    }

    /// <summary>Points the Kafka workload at the broker (as the host or a container reaches it) and starts after it.</summary>
    private static IResourceBuilder<T> WithKafka<T>(IResourceBuilder<T> probes, IResourceBuilder<KafkaBrokerResource>? kafka, Func<KafkaBrokerResource, ReferenceExpression> bootstrapServers)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport =>
        kafka is null
            ? probes
            : probes.WithEnvironment("Kafka__BootstrapServers", bootstrapServers(kafka.Resource)).WithReferenceRelationship(kafka.Resource).WaitFor(kafka);
}
