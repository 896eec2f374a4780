using Monitoring.AppHost;

namespace Aspire.Hosting;

/// <summary>Adds the Probes service (metrics, fault scenarios, the Alertmanager webhook receiver).</summary>
public static class ProbesBuilderExtensions
{
    /// <summary>The path of Probes' Alertmanager webhook.</summary>
    public const string WebhookPath = "/alertmanager/webhook";

    private const int ContainerHttpPort = 8080;

    /// <summary>
    /// Adds Probes as the .NET project (default) or as its locally built container (see <see cref="ProbesHosting"/>).
    /// Either way it has an <c>http</c> endpoint and <c>/health</c> is its health check.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="hosting">How it runs.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<IResourceWithEndpoints> AddProbes(this IDistributedApplicationBuilder builder, [ResourceName] string name, ProbesHosting hosting)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        return hosting switch
        {
            ProbesHosting.Project => builder.AddProject<Projects.Probes>(name)
                .WithHttpHealthCheck("/health"),
            ProbesHosting.Container => builder.AddContainer(name, LocalImageTags.ProbesImage, LocalImageTags.ProbesTag)
                .WithImageRegistry(LocalImageTags.Registry)
                .WithHttpEndpoint(targetPort: ContainerHttpPort, name: "http")
                .WithOtlpExporter()
                .WithHttpHealthCheck("/health"),
            _ => throw new ArgumentOutOfRangeException(nameof(hosting), hosting, "Unknown Probes hosting."),
        };
    }
}
