using Microsoft.Extensions.DependencyInjection;

namespace Monitoring.Tests.Infrastructure;

/// <summary>What tests do to a running app's resources.</summary>
internal static class Resources
{
    /// <summary>
    /// Runs a dashboard command (Stop, Start, ...) and requires it to succeed. On two busy cores the orchestrator's
    /// stop of a container that takes long to shut down (Postgres' checkpoint, seen when the tests stopped it that way)
    /// can time out; a stop or start is idempotent, so it is asked once more before failing.
    /// </summary>
    public static async Task RunCommandAsync(this DistributedApplication app, string resource, string command, CancellationToken cancellationToken)
    {
        var commands = app.Services.GetRequiredService<ResourceCommandService>();
        var result = await commands.ExecuteCommandAsync(resource, command, cancellationToken);
        if (!result.Success)
        {
            result = await commands.ExecuteCommandAsync(resource, command, cancellationToken);
        }

        Assert.True(result.Success, $"{command} {resource}: {result.Message}");
    }

    /// <summary>
    /// Stops a resource's container with the container runtime's own stop (the same signal and grace as the
    /// orchestrator's), underneath the orchestrator, and returns once it has exited (the runtime's stop waits for
    /// that). Faults that last use this rather than the dashboard's Stop: while a container stays stopped by its Stop
    /// command, the orchestrator (DCP, Aspire 13.6) inspects it about 25 times a second, about one core here, until it
    /// is started again; one that exited on its own costs nothing. The orchestrator reports the exit some seconds
    /// later (5 to 6 s here, whatever the load): <see cref="StartAgainAsync"/> waits for that before the Start.
    /// </summary>
    public static void StopContainer(this DistributedApplication app, string resource)
    {
        var (exitCode, output) = ContainerHost.Run(["stop", app.ContainerIdOf(resource)]);
        Assert.True(exitCode == 0, $"stop {resource}: {output}");
    }

    /// <summary>
    /// Brings back a container stopped by <see cref="StopContainer"/> with the dashboard's Start (the orchestrator
    /// recreates it on the same volumes), once the orchestrator has seen it exit: the Start command applies to a
    /// resource it knows is stopped.
    /// </summary>
    public static async Task StartAgainAsync(this DistributedApplication app, string resource, CancellationToken cancellationToken)
    {
        await app.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text == "Exited", cancellationToken)
            .WaitAsync(TimeSpan.FromMinutes(1), cancellationToken);
        await app.StartStoppedAsync(resource, cancellationToken);
    }

    /// <summary>
    /// Runs the dashboard's Start on a stopped resource and returns once it runs again (or failed to start). The
    /// command succeeds as soon as the orchestrator is asked to start it, before the resource's state says so: in a
    /// full run here a container's state still read "Exited" after its Start had succeeded, and the health wait begun
    /// then gave up at once with "failed to start", as that wait does on a stopped resource when the dashboard is off,
    /// as in the tests (Aspire 13.6; with the dashboard on, it waits). What follows a Start must see this start, not the
    /// stop before it.
    /// </summary>
    public static async Task StartStoppedAsync(this DistributedApplication app, string resource, CancellationToken cancellationToken)
    {
        await app.RunCommandAsync(resource, KnownResourceCommands.StartCommand, cancellationToken);
        var running = app.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text is "Running" or "FailedToStart", cancellationToken);
        try
        {
            await running.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken);
        }
        catch (TimeoutException e)
        {
            app.ResourceNotifications.TryGetCurrentState(resource, out var state);
            throw new TimeoutException($"{resource} was not Running 60 s after its Start (state: {state?.Snapshot.State?.Text ?? "none"}).", e);
        }
    }

    /// <summary>The id of a resource's container, for the runtime's CLI.</summary>
    public static string ContainerIdOf(this DistributedApplication app, string resource)
    {
        Assert.True(app.ResourceNotifications.TryGetCurrentState(resource, out var state), $"{resource} has no state");
        var id = state.Snapshot.Properties.FirstOrDefault(p => p.Name == "container.id")?.Value as string;
        Assert.False(string.IsNullOrEmpty(id), $"{resource} has no container id");
        return id;
    }
}
