
namespace Monitoring.AppHost;

/// <summary>The stack's PostgreSQL server (Aspire.Hosting.PostgreSQL) with its pinned image and a data volume per major version.</summary>
public static class PostgresServerBuilderExtensions
{
    /// <summary>
    /// Runs the image <c>eng/images/pins.txt</c> pins for <c>postgres</c> (Aspire.Hosting.PostgreSQL's own default
    /// moves with the package; the local image must carry the same version as the official one).
    /// </summary>
    /// <param name="builder">The PostgreSQL server's builder.</param>
    /// <returns>The builder.</returns>
    public static IResourceBuilder<PostgresServerResource> WithPinnedImage(this IResourceBuilder<PostgresServerResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithImageRegistry(PinnedImages.Postgres.Registry)
            .WithImage(PinnedImages.Postgres.Image, PinnedImages.Postgres.Tag);
    }

    /// <summary>
    /// Keeps the data in a named volume whose name carries the image's major version (<c>…-postgres-data-pg18</c>).
    /// A data directory written by one major version cannot be opened by another (the official 18 image even refuses
    /// to start), so a pin moved to a new major starts on a fresh volume instead of breaking Postgres and everything
    /// waiting for it; the old volume is kept, for <c>pg_upgrade</c> (docs/troubleshooting.md). Call it after the
    /// image is set.
    /// </summary>
    /// <param name="builder">The PostgreSQL server's builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">The image's tag does not start with a major version.</exception>
    public static IResourceBuilder<PostgresServerResource> WithDataVolumePerMajorVersion(this IResourceBuilder<PostgresServerResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var tag = builder.Resource.TryGetLastAnnotation<ContainerImageAnnotation>(out var image) ? image.Tag : null;
        var major = tag?.Split('.', '-')[0];
        if (string.IsNullOrEmpty(major) || !major.All(char.IsAsciiDigit))
        {
            throw new InvalidOperationException($"The image tag of '{builder.Resource.Name}' ('{tag}') does not start with PostgreSQL's major version.");
        }

        return builder.WithDataVolume(VolumeNameGenerator.Generate(builder, $"data-pg{major}"));
    }
}
