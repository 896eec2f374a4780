using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Monitoring.AppHost;

/// <summary>
/// A per-run folder for the files the AppHost writes from the model at start (Prometheus <c>file_sd</c> targets,
/// an Alertmanager config with the run's webhook URL), bind-mounted read-only into a container at <see cref="ContainerPath"/>.
/// Checked-in provisioning files are never written; the folder is deleted when the AppHost stops.
/// </summary>
internal static class GeneratedFiles
{
    /// <summary>Where the folder appears inside the container.</summary>
    public const string ContainerPath = "/aspire";

    /// <summary>
    /// Names a fresh folder for one resource of one run. It is created by the first file written to it, just before
    /// its container starts (a model that is only built, or a start that fails earlier, leaves nothing behind), and
    /// deleted when the application stops or is disposed.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="resourceName">The resource the files are for.</param>
    /// <returns>The folder's path on the host.</returns>
    public static string ReserveDirectory(IDistributedApplicationBuilder builder, string resourceName)
    {
        var path = Path.Combine(Path.GetTempPath(), "aspire-monitoring", $"{resourceName}-{Guid.NewGuid():n}");
        // Created by the container, so the container disposes it with the application.
        builder.Services.AddSingleton<IHostedService>(_ => new Cleanup(path));
        return path;
    }

    /// <summary>How long addresses may take to be allocated before the files that need them are given up on.</summary>
    public static readonly TimeSpan AllocationTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Writes files whose content needs addresses that are allocated only while the container is being created (a
    /// host process's address in the container network comes from Aspire's container tunnel, set up after the
    /// container's before-start hook), in the background: the container starts meanwhile, and its component reads the
    /// files as they land (Prometheus' file_sd, Alertmanager's <c>url_file</c>). If the addresses do not come within
    /// <see cref="AllocationTimeout"/>, the resource's log says which files are missing and why.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="resource">The container the files are for.</param>
    /// <param name="what">What is written, for the log ("the targets of job 'probes'").</param>
    /// <param name="write">Resolves and writes the files.</param>
    public static void WriteWhenAllocated(IServiceProvider services, IResource resource, string what, Func<CancellationToken, Task> write)
    {
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var log = services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
        _ = Task.Run(async () =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(AllocationTimeout);
            try
            {
                await write(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                log.LogError(
                    "The addresses of {What}, as the {Resource} container sees them, were not allocated within {Seconds:0} s, so they are not written; see docs/troubleshooting.md.",
                    what, resource.Name, AllocationTimeout.TotalSeconds);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                log.LogError(ex, "Writing {What} failed.", what);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                // The app stops; nothing is waiting for the files any more.
            }
        }, CancellationToken.None);
    }

    /// <summary>Writes a file so a reader never sees it half-written (write aside, then rename).</summary>
    /// <param name="path">The file's path.</param>
    /// <param name="content">Its text.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    public static async Task WriteAtomicallyAsync(string path, string content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, content, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    private sealed class Cleanup(string path) : IHostedService, IDisposable
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            Dispose();
            return Task.CompletedTask;
        }

        public void Dispose()
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
            }
            catch (IOException)
            {
                // Best effort: a temp folder left behind is harmless.
            }
        }
    }
}
