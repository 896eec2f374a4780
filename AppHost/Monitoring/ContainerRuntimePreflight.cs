using System.Diagnostics;

namespace Monitoring.AppHost;

/// <summary>
/// Checks, before anything starts, that a container runtime answers and that every image the model needs from the
/// local source has been built; otherwise start-up stops at once with a message that says what to do, rather than
/// waiting a minute for the orchestrator to give up.
/// </summary>
internal static class ContainerRuntimePreflight
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the check at <see cref="BeforeStartEvent"/>.</summary>
    /// <param name="builder">The application builder.</param>
    public static void Register(IDistributedApplicationBuilder builder) =>
        builder.Eventing.Subscribe<BeforeStartEvent>(async (e, ct) =>
        {
            var containers = e.Model.Resources.OfType<ContainerResource>().ToList();
            if (containers.Count == 0)
            {
                return;
            }

            var runtime = builder.Configuration["ASPIRE_CONTAINER_RUNTIME"] ?? "docker";
            var (exitCode, output) = await RunAsync(runtime, ["info"], ct).ConfigureAwait(false);
            if (exitCode is null)
            {
                throw new DistributedApplicationException(
                    $"No container runtime: '{runtime}' is not installed or not on PATH. Install Docker (Docker Desktop) or Podman; " +
                    "for Podman set ASPIRE_CONTAINER_RUNTIME=podman. On Debian, eng/install-prereqs.sh installs Podman. See docs/troubleshooting.md.");
            }

            if (exitCode != 0)
            {
                throw new DistributedApplicationException(
                    $"The container runtime '{runtime}' does not answer ('{runtime} info' exited {exitCode}: {FirstLine(output)}). " +
                    "Start Docker Desktop or the Podman machine, then try again. See docs/troubleshooting.md.");
            }

            var missing = new List<string>();
            foreach (var image in containers.Select(LocalImageOf).OfType<string>().Distinct())
            {
                var (code, _) = await RunAsync(runtime, ["image", "inspect", "--format", "{{.Id}}", image], ct).ConfigureAwait(false);
                if (code != 0)
                {
                    missing.Add(image);
                }
            }

            if (missing.Count > 0)
            {
                throw new DistributedApplicationException(
                    $"Local images are missing: {string.Join(", ", missing)}. Build them with 'eng/images/build.sh' " +
                    $"(or set {MonitoringOptions.SectionName}:ImageSource=Official to pull the official images).");
            }
        });

    private static string? LocalImageOf(ContainerResource resource) =>
        resource.TryGetLastAnnotation<ContainerImageAnnotation>(out var image) && image.Registry == LocalImageTags.Registry
            ? $"{image.Registry}/{image.Image}:{image.Tag}"
            : null;

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output";

    private static async Task<(int? ExitCode, string Output)> RunAsync(string fileName, string[] arguments, CancellationToken ct)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
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
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            timeout.CancelAfter(s_timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"no answer within {s_timeout.TotalSeconds:0} s");
            }

            return (process.ExitCode, (await stderr.ConfigureAwait(false)) + (await stdout.ConfigureAwait(false)));
        }
    }
}
