namespace Monitoring.AppHost;

/// <summary>Adds a postgres-exporter for a PostgreSQL server of the model.</summary>
public static class PostgresExporterBuilderExtensions
{
    /// <summary>
    /// Adds a postgres-exporter container connected to <paramref name="postgres"/> through the container network. The
    /// user and password are the server's own parameters (never literals); it starts once the server is healthy, and
    /// <c>/metrics</c> is its health check (it reports <c>pg_up 0</c>, not an error, while the server is away).
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="postgres">The PostgreSQL server.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<PostgresExporterResource> AddPostgresExporter(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, IResourceBuilder<PostgresServerResource> postgres)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(postgres);

        var server = postgres.Resource;
        return builder.AddResource(new PostgresExporterResource(name))
            .WithImage(PinnedImages.PostgresExporter.Image, PinnedImages.PostgresExporter.Tag)
            .WithImageRegistry(PinnedImages.PostgresExporter.Registry)
            .WithHttpEndpoint(targetPort: PostgresExporterResource.HttpPort, name: PostgresExporterResource.PrimaryEndpointName)
            .WithEnvironment("DATA_SOURCE_URI", ReferenceExpression.Create($"{server.PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}/postgres?sslmode=disable"))
            .WithEnvironment("DATA_SOURCE_USER", server.UserNameReference)
            .WithEnvironment("DATA_SOURCE_PASS", server.PasswordParameter)
            .WithHttpHealthCheck("/metrics", endpointName: PostgresExporterResource.PrimaryEndpointName)
            .WithReferenceRelationship(server)
            .WaitFor(postgres);
    }
}
