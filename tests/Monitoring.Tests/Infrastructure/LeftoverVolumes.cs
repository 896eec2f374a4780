namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// The tests leave no volume behind, and never create one of the names a developer's own F5 of this AppHost uses
/// (every test names its own, <see cref="TestVolumes"/>): the volumes a runtime holds when the assembly's fixtures are
/// created, against those it holds once every test has ended (<see cref="CheckRunAsync"/>, from
/// <see cref="StackFixture.DisposeAsync"/>, after the shared graph's own volumes are removed).
/// </summary>
/// <param name="runtime">The runtime's command.</param>
internal sealed class LeftoverVolumes(string runtime)
{
    private static readonly Lazy<LeftoverVolumes> s_docker = new(() => new(ContainerHost.Docker));
    private static readonly Lazy<LeftoverVolumes> s_podman = new(() => new(ContainerHost.Podman));

    private readonly HashSet<string>? _before = List(runtime);

    /// <summary>Notes the volumes Docker and Podman hold now, before any test has started a graph.</summary>
    public static void NoteRunStart()
    {
        _ = s_docker.Value;
        _ = s_podman.Value;
    }

    /// <summary>
    /// After the run: fails, naming them, if the tests left Docker volumes behind (a cleanup failure, which the
    /// reporter counts as failed); reports Podman's without failing (Podman 4.3 once left a container stuck in
    /// "Stopping", whose volumes could not be removed). A volume may outlive its graph by a few seconds (an orchestrator
    /// removes its containers, and their anonymous volumes, after the app is disposed): the check waits up to 30 s for
    /// the new ones to go before it fails.
    /// </summary>
    /// <exception cref="InvalidOperationException">Docker volumes were left behind.</exception>
    public static async Task CheckRunAsync()
    {
        IReadOnlyList<string> docker = [];
        try
        {
            await Wait.UntilAsync("the tests' volumes removed", _ => Task.FromResult((docker = s_docker.Value.Left()).Count == 0),
                TimeSpan.FromSeconds(30), CancellationToken.None, TimeSpan.FromSeconds(1));
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException(
                $"The tests left Docker volumes behind (a test that does not name its volumes with TestVolumes, or does not remove them): {string.Join(", ", docker)}");
        }
        finally
        {
            var podman = s_podman.Value.Left();
            if (podman.Count > 0)
            {
                Console.WriteLine($"warning: the tests left Podman volumes behind: {string.Join(", ", podman)}");
            }
        }
    }

    /// <summary>The volumes the runtime holds now that it did not hold at the start (none when it does not answer).</summary>
    public IReadOnlyList<string> Left() =>
        _before is null || List(runtime) is not { } now ? [] : [.. now.Except(_before).Order(StringComparer.Ordinal)];

    /// <summary>The runtime's volumes, or <see langword="null"/> when it is not installed or does not answer.</summary>
    private static HashSet<string>? List(string runtime)
    {
        try
        {
            var (exitCode, output) = ContainerHost.Run(runtime, ["volume", "ls", "-q"]);
            return exitCode == 0 ? [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or TimeoutException or InvalidOperationException)
        {
            // Not installed, or not answering (a Docker Desktop still starting, a Podman machine stopped): nothing to
            // compare, and no reason to fail the tests that need no runtime.
            return null;
        }
    }
}
