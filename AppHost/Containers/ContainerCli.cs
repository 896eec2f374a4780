using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Monitoring.AppHost;

/// <summary>Runs the container runtime's command line (<c>docker</c> or <c>podman</c>, as Aspire chooses it) for the start-up checks.</summary>
/// <param name="configuration">Where <c>ASPIRE_CONTAINER_RUNTIME</c> is read (<see cref="ContainerRuntimeSelection"/>).</param>
internal sealed class ContainerCli(IConfiguration configuration)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    /// <summary>The runtime's executable, as Aspire chooses it (<see cref="ContainerRuntimeSelection"/>).</summary>
    public string Runtime { get; } = ContainerRuntimeSelection.Resolve(configuration);

    /// <summary>Whether an image is present locally (nothing is pulled).</summary>
    /// <param name="image">The image reference.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public async Task<bool> HasImageAsync(string image, CancellationToken cancellationToken) =>
        await ImageIdAsync(image, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>The id of a local image (nothing is pulled).</summary>
    /// <param name="image">The image reference.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The id, or <see langword="null"/> when the image is not on this machine.</returns>
    public async Task<string?> ImageIdAsync(string image, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunAsync(["image", "inspect", "--format", "{{.Id}}", image], cancellationToken).ConfigureAwait(false);
        return exitCode == 0 ? output.Trim() : null;
    }

    /// <summary>Runs the runtime with arguments.</summary>
    /// <param name="arguments">The arguments.</param>
    /// <param name="cancellationToken">Cancels the run (the process is killed).</param>
    /// <returns>The exit code (<see langword="null"/> when the runtime is not installed; -1 when it did not answer in time) and stderr then stdout.</returns>
    public async Task<(int? ExitCode, string Output)> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(Runtime) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (null, "");
        }

        using (process)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(s_timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                return (-1, $"no answer within {s_timeout.TotalSeconds:0} s");
            }

            return (process.ExitCode, (await stderr.ConfigureAwait(false)) + (await stdout.ConfigureAwait(false)));
        }
    }

    /// <summary>The image a container resource runs, as <c>registry/image:tag</c>.</summary>
    /// <param name="resource">The container.</param>
    /// <returns>The reference, or <see langword="null"/> when it has no image.</returns>
    public static string? ImageOf(ContainerResource resource) =>
        resource.TryGetLastAnnotation<ContainerImageAnnotation>(out var image)
            ? $"{(string.IsNullOrEmpty(image.Registry) ? "" : image.Registry + "/")}{image.Image}{(image.Tag is null ? "" : ":" + image.Tag)}"
            : null;
}
