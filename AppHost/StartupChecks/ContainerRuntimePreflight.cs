namespace Monitoring.AppHost;

/// <summary>
/// Checks, before anything starts, that a container runtime answers and that every image the model needs from the
/// local source has been built; otherwise start-up stops at once with a message that says what to do, rather than
/// waiting a minute for the orchestrator to give up.
/// </summary>
internal static class ContainerRuntimePreflight
{
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

            var cli = new ContainerCli(builder.Configuration);
            var runtime = cli.Runtime;
            var (exitCode, output) = await cli.RunAsync(["info"], ct).ConfigureAwait(false);
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

            var images = containers.Select(LocalImageOf).OfType<string>().Distinct().ToList();
            var present = await Task.WhenAll(images.Select(i => cli.HasImageAsync(i, ct))).ConfigureAwait(false);
            var missing = images.Where((_, i) => !present[i]).ToList();

            if (missing.Count > 0)
            {
                throw new DistributedApplicationException(
                    $"Local images are missing: {string.Join(", ", missing)}. Build them with 'eng/images/build.sh' " +
                    $"(or set {MonitoringOptions.SectionName}:ImageSource=Official to pull the official images).");
            }
        });

    private static string? LocalImageOf(ContainerResource resource) =>
        resource.TryGetLastAnnotation<ContainerImageAnnotation>(out var image) && image.Registry == LocalImageTags.Registry
            ? ContainerCli.ImageOf(resource)
            : null;

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output";
}
