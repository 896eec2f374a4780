using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Monitoring.AppHost;

/// <summary>
/// Watches the logs of every container with a named volume for the sign that it cannot write there (a volume created
/// by another image or tool keeps its owner, and the component, which runs as an unprivileged user, gets "permission
/// denied"). Prometheus then crashes and Alertmanager silently stops persisting; this says which volume and how to
/// fix it, in the resource's log and the AppHost's.
/// </summary>
internal static class VolumePermissionWatch
{
    private static readonly string[] s_denied = ["permission denied", "operation not permitted", "read-only file system"];

    /// <summary>
    /// Starts a container's watch when it first starts (its log stream has a name only then); it ends when the app
    /// stops.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    public static void Register(IDistributedApplicationBuilder builder)
    {
        var cli = new ContainerCli(builder.Configuration);
        foreach (var container in builder.Resources.OfType<ContainerResource>().Where(c => WritableVolumes(c).Count > 0))
        {
            var watching = 0;
            builder.Eventing.Subscribe<BeforeResourceStartedEvent>(container, (e, ct) =>
            {
                if (Interlocked.Exchange(ref watching, 1) == 0)
                {
                    var logs = e.Services.GetRequiredService<ResourceLoggerService>();
                    var logger = e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Monitoring");
                    var stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                    _ = WatchAsync(container, WritableVolumes(container), logs, logger, cli, stopping);
                }

                return Task.CompletedTask;
            });
        }
    }

    private static List<ContainerMountAnnotation> WritableVolumes(ContainerResource container) =>
        [.. container.Annotations.OfType<ContainerMountAnnotation>().Where(m => m.Type == ContainerMountType.Volume && !m.IsReadOnly && !string.IsNullOrEmpty(m.Source))];

    private static async Task WatchAsync(
        ContainerResource container, List<ContainerMountAnnotation> volumes, ResourceLoggerService logs, ILogger logger, ContainerCli cli, CancellationToken stopping)
    {
        try
        {
            await foreach (var batch in logs.WatchAsync(container).WithCancellation(stopping).ConfigureAwait(false))
            {
                var volume = batch.Select(line => Unwritable(line.Content, volumes)).FirstOrDefault(v => v is not null);
                if (volume is not null)
                {
                    var message = await MessageAsync(container, volume, cli, stopping).ConfigureAwait(false);
                    logs.GetLogger(container).LogError("{Message}", message);
                    logger.LogError("{Message}", message);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The app stops.
        }
    }

    /// <summary>The volume a log line says cannot be written (a path that starts at its mount point), or <see langword="null"/>.</summary>
    /// <param name="line">The log line.</param>
    /// <param name="volumes">The container's writable volumes.</param>
    /// <returns>The volume.</returns>
    internal static ContainerMountAnnotation? Unwritable(string line, IEnumerable<ContainerMountAnnotation> volumes) =>
        s_denied.Any(d => line.Contains(d, StringComparison.OrdinalIgnoreCase))
            ? volumes.FirstOrDefault(v => Regex.IsMatch(line, $@"(?<![\w./-]){Regex.Escape(v.Target.TrimEnd('/'))}/", RegexOptions.None, TimeSpan.FromSeconds(1)))
            : null;

    private static async Task<string> MessageAsync(ContainerResource container, ContainerMountAnnotation volume, ContainerCli cli, CancellationToken ct)
    {
        var image = ContainerCli.ImageOf(container);
        var (exitCode, output) = image is null
            ? (null, "")
            : await cli.RunAsync(["image", "inspect", "--format", "{{.Config.User}}", image], ct).ConfigureAwait(false);
        var user = exitCode == 0 && !string.IsNullOrWhiteSpace(output) ? output.Trim() : "the image's user";
        return $"{container.Name} cannot write its volume '{volume.Source}' (mounted at {volume.Target}): its files belong to another user, " +
            $"so {container.Name} runs without its data. Stop the app, then either give the volume to {user}: " +
            $"'{cli.Runtime} run --rm --user root --entrypoint chown -v {volume.Source}:/data {image} -R {user} /data', " +
            $"or remove it and start afresh (its data is lost): '{cli.Runtime} volume rm {volume.Source}'. See docs/troubleshooting.md.";
    }
}
