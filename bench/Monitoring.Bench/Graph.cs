using System.Collections.Concurrent;
using System.Diagnostics;

namespace Monitoring.Bench;

/// <summary>
/// The AppHost's graph started for a measurement by the tests' harness (tests/Shared: <see cref="TestStack"/> on
/// <see cref="TestVolumes"/>), as F5 builds it - the checked-in timers, every component whose image can be had, the
/// official images, Probes as the project through the container tunnel - with a measurement's settings, its log in
/// artifacts/logs/bench-&lt;name&gt;.log, and when each resource started, ran and was healthy.
/// </summary>
internal sealed class Graph : IAsyncDisposable
{
    private readonly TestVolumes _volumes;

    private Graph(DistributedApplication app, TestVolumes volumes)
    {
        App = app;
        _volumes = volumes;
    }

    /// <summary>The running application.</summary>
    public DistributedApplication App { get; }

    /// <summary>When each container or project was first starting, running and healthy, from the start of the build.</summary>
    public Dictionary<string, (TimeSpan Starting, TimeSpan Running, TimeSpan Healthy)> Timeline { get; } = [];

    /// <summary>How long building the model took.</summary>
    public TimeSpan ModelBuilt { get; private set; }

    /// <summary>The containers and projects of the graph.</summary>
    public IReadOnlyList<string> Resources => TestStack.RunnableResources(App);

    /// <summary>Builds and starts the graph with the settings (<c>key=value</c>) and waits until every resource is healthy.</summary>
    public static async Task<Graph> StartAsync(string name, CancellationToken cancellationToken, params string[] settings)
    {
        var volumes = new TestVolumes { LogName = $"bench-{name}" };
        var clock = new Stopwatch();
        var modelBuilt = TimeSpan.Zero;
        // Every state change, as it happens: when each resource started, ran and was healthy (of the last app built:
        // the harness builds again when a start fails on a runtime hiccup).
        var firsts = new ConcurrentDictionary<(string, string), TimeSpan>();
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watches = new List<Task>();
        try
        {
            var app = await TestStack.StartBuiltAsync(async ct =>
            {
                firsts.Clear();
                clock.Restart();
                var built = await TestStack.BuildAsF5Async(volumes, ct, _ => { }, settings);
                modelBuilt = clock.Elapsed;
                watches.Add(WatchAsync(built, firsts, clock, watching.Token));
                return built;
            }, TestStack.StartTimeout, cancellationToken);
            await watching.CancelAsync();
            await Task.WhenAll(watches);
            var graph = new Graph(app, volumes) { ModelBuilt = modelBuilt };
            foreach (var resource in graph.Resources)
            {
                TimeSpan First(string state) => firsts.TryGetValue((resource, state), out var at) ? at : TimeSpan.Zero;
                graph.Timeline[resource] = (First(KnownResourceStates.Starting), First(KnownResourceStates.Running), First("Healthy"));
            }

            return graph;
        }
        catch
        {
            volumes.Dispose();
            throw;
        }
    }

    private static Task WatchAsync(DistributedApplication app, ConcurrentDictionary<(string, string), TimeSpan> firsts, Stopwatch clock, CancellationToken cancellationToken) =>
        Task.Run(async () =>
        {
            try
            {
                await foreach (var e in app.ResourceNotifications.WatchAsync(cancellationToken))
                {
                    var state = e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy ? "Healthy" : e.Snapshot.State?.Text ?? "";
                    firsts.TryAdd((e.Resource.Name, state), clock.Elapsed);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                // Every resource is healthy, or the app was disposed for a retry.
            }
        }, CancellationToken.None);

    /// <summary>An HTTP client of a resource's <c>http</c> endpoint.</summary>
    public HttpClient Client(string resource) => App.CreateHttpClient(resource, "http");

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        _volumes.Dispose();
    }
}
