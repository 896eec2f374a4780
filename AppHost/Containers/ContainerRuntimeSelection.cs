using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Monitoring.AppHost;

/// <summary>
/// The container runtime Aspire uses, chosen as Aspire 13.6 chooses it, so that the start-up checks and the tests ask
/// the runtime the orchestrator will run the containers on: the one configured (<c>ASPIRE_CONTAINER_RUNTIME</c>, its
/// older name <c>DOTNET_ASPIRE_CONTAINER_RUNTIME</c>, or <c>DcpPublisher:ContainerRuntime</c>), otherwise Docker or
/// Podman, whichever answers <c>container ls -n 1</c>, Docker when both or neither do (dotnet/aspire
/// src/Shared/ContainerRuntimeDetector.cs: the known runtimes docker (the default) and podman are probed in parallel;
/// installed beats missing, running beats installed, the default wins a tie; DCP's FindAvailableContainerRuntime
/// decides the same way).
/// </summary>
internal static class ContainerRuntimeSelection
{
    /// <summary>Docker's command, the default.</summary>
    public const string Docker = "docker";

    /// <summary>Podman's command.</summary>
    public const string Podman = "podman";

    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromSeconds(10);

    // Probed once per process: an AppHost decides once, and the tests build many models in one process.
    private static readonly Lazy<string> s_detected = new(Detect);
    private static readonly ConcurrentDictionary<string, string> s_normalized = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The runtime's command: the configured one, else the one detected.</summary>
    /// <param name="configuration">The AppHost's configuration (or the process environment's).</param>
    /// <returns><c>docker</c>, <c>podman</c>, or whatever command is configured.</returns>
    public static string Resolve(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = new[] { "DcpPublisher:ContainerRuntime", "ASPIRE_CONTAINER_RUNTIME", "DOTNET_ASPIRE_CONTAINER_RUNTIME" }
            .Select(key => configuration[key]).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        return configured is null ? s_detected.Value : s_normalized.GetOrAdd(configured, c => c.ToLowerInvariant());
    }

    private static string Detect()
    {
        var docker = Task.Run(() => Probe(Docker));
        var podman = Task.Run(() => Probe(Podman));
        var (dockerState, podmanState) = (docker.Result, podman.Result);
        return podmanState > dockerState ? Podman : Docker;
    }

    /// <summary>0: not installed, 1: installed but not answering, 2: answering.</summary>
    private static int Probe(string command)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, ["container", "ls", "-n", "1"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return 0;
            }

            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_probeTimeout))
            {
                process.Kill(entireProcessTree: true);
                return 1;
            }

            return process.ExitCode == 0 ? 2 : 1;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or FileNotFoundException)
        {
            return 0;
        }
    }
}
