using System.Diagnostics;

namespace Monitoring.Bench;

/// <summary>
/// The AppHost's graph started for a measurement, as the tests start it (the official images, Docker, Probes as the project
/// through the container tunnel), on volumes of its own that are removed afterwards.
/// </summary>
internal sealed class Graph : IAsyncDisposable
{
    private readonly List<string> _volumes = [];

    private Graph(DistributedApplication app) => App = app;

    /// <summary>The running application.</summary>
    public DistributedApplication App { get; }

    /// <summary>When each container or project was first starting, running and healthy, from the start of <see cref="StartAsync"/>.</summary>
    public Dictionary<string, (TimeSpan Starting, TimeSpan Running, TimeSpan Healthy)> Timeline { get; } = [];

    /// <summary>How long until the start-up checks (runtime, images, validators) had run.</summary>
    public TimeSpan ChecksDone { get; private set; }

    /// <summary>How long building the model took.</summary>
    public TimeSpan ModelBuilt { get; private set; }

    /// <summary>The containers and projects of the graph.</summary>
    public IReadOnlyList<string> Resources =>
        [.. App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Where(r => r is ContainerResource or ProjectResource).Select(r => r.Name)];

    /// <summary>Builds and starts the graph with the settings (<c>key=value</c>) and waits until every resource is healthy.</summary>
    public static async Task<Graph> StartAsync(CancellationToken cancellationToken, params string[] settings)
    {
        var clock = Stopwatch.StartNew();
        // The AppHost's own log stays quiet: its health checks fail, as they should, until each resource is up.
        string[] args = ["Logging:LogLevel:Default=Critical", .. settings];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [.. args.Select(a => $"--{a}")], (options, _) => options.DisableDashboard = true, cancellationToken);
        var volumes = new List<string>();
        var prefix = $"monitoring-bench-{Guid.NewGuid():n}"[..26];
        foreach (var resource in builder.Resources)
        {
            foreach (var mount in resource.Annotations.OfType<ContainerMountAnnotation>().Where(m => m.Type == ContainerMountType.Volume).ToList())
            {
                var name = $"{prefix}-{resource.Name}-{mount.Target.Trim('/').Replace('/', '-')}";
                resource.Annotations.Remove(mount);
                resource.Annotations.Add(new ContainerMountAnnotation(name, mount.Target, ContainerMountType.Volume, mount.IsReadOnly));
                volumes.Add(name);
            }
        }

        TimeSpan checksDone = default;
        // Subscribed after the AppHost's own: it runs once the start-up checks have.
        builder.Eventing.Subscribe<BeforeStartEvent>((_, _) =>
        {
            checksDone = clock.Elapsed;
            return Task.CompletedTask;
        });
        var app = await builder.BuildAsync(cancellationToken);
        var graph = new Graph(app) { ModelBuilt = clock.Elapsed };
        graph._volumes.AddRange(volumes);
        // Every state change, as it happens: when each resource started, ran and was healthy.
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var firsts = new Dictionary<(string, string), TimeSpan>();
        var watch = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in app.ResourceNotifications.WatchAsync(watching.Token))
                {
                    var state = e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy ? "Healthy" : e.Snapshot.State?.Text ?? "";
                    lock (firsts)
                    {
                        firsts.TryAdd((e.Resource.Name, state), clock.Elapsed);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Every resource is healthy.
            }
        }, CancellationToken.None);
        await app.StartAsync(cancellationToken);
        graph.ChecksDone = checksDone;
        foreach (var name in graph.Resources)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(name, cancellationToken);
        }

        await watching.CancelAsync();
        await watch;
        foreach (var name in graph.Resources)
        {
            TimeSpan First(string state) => firsts.TryGetValue((name, state), out var at) ? at : TimeSpan.Zero;
            graph.Timeline[name] = (First(KnownResourceStates.Starting), First(KnownResourceStates.Running), First("Healthy"));
        }

        return graph;
    }

    /// <summary>An HTTP client of a resource's <c>http</c> endpoint.</summary>
    public HttpClient Client(string resource) => App.CreateHttpClient(resource, "http");

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        foreach (var volume in _volumes)
        {
            await Shell.RunAsync("docker", ["volume", "rm", "--force", volume], TimeSpan.FromMinutes(1));
        }
    }
}
