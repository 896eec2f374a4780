namespace Monitoring.Tests.Infrastructure;

/// <summary>For tests of start-up checks: start-up must fail, quickly, and leave no container or project started.</summary>
internal static class FailedStart
{
    /// <summary>
    /// How long start-up may take to fail. The checks take seconds, but the suite runs many apps at once on two cores;
    /// without them, the orchestrator gives up only after a minute or more.
    /// </summary>
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    /// <summary>Builds and starts the app, expects start-up to fail, checks that nothing started, and returns the error.</summary>
    public static async Task<string> MessageAsync(IDistributedApplicationTestingBuilder builder, CancellationToken cancellationToken)
    {
        // The orchestrator creates the volumes before start-up fails: test-owned names, removed afterwards, never the
        // ones a developer's own F5 of this AppHost uses.
        using var volumes = new TestVolumes();
        volumes.Apply(builder);
        await using var app = await builder.BuildAsync(cancellationToken);

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync(cancellationToken).WaitAsync(s_timeout, cancellationToken));

        foreach (var resource in builder.Resources.Where(r => r is ContainerResource or ProjectResource))
        {
            var started = app.ResourceNotifications.TryGetCurrentState(resource.Name, out var state) && state.Snapshot.State?.Text is "Running" or "Starting";
            Assert.False(started, $"{resource.Name} was started");
        }

        return (ex as AggregateException)?.InnerException?.Message ?? ex.Message;
    }
}
