namespace Monitoring.AppHost;

/// <summary>
/// Checks, before anything starts, that the container runtime (as Aspire chooses it: <see cref="ContainerRuntimeSelection"/>)
/// answers; otherwise start-up stops at once with a message that says what to do, rather than waiting a minute for the
/// orchestrator to give up.
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
                    "Aspire uses whichever answers (Docker when both do; ASPIRE_CONTAINER_RUNTIME=podman chooses Podman). " +
                    "On Debian, eng/install-prereqs.sh installs Docker Engine. See docs/troubleshooting.md.");
            }

            if (exitCode != 0)
            {
                throw new DistributedApplicationException(
                    $"The container runtime '{runtime}' does not answer ('{runtime} info' exited {exitCode}: {FirstLine(output)}). " +
                    "Start Docker Desktop or the Podman machine, then try again. See docs/troubleshooting.md.");
            }
        });

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output";
}
