using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>
    /// The HTTP path each resource's health check asked while the graph started, and the container port it asked it
    /// on (the first answer that was a success): what a plain start polls to see the same readiness (PlainDocker).
    /// </summary>
    public IReadOnlyDictionary<string, (int TargetPort, string Path)> HealthPaths { get; private set; } = new Dictionary<string, (int, string)>();

    /// <summary>How long from the start of the (last) build until every resource was healthy: a start retried after a runtime hiccup counts from its retry.</summary>
    public TimeSpan Healthy { get; private set; }

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
        // The requests of the app's HTTP clients (its health checks among them): the host port asked, and the path.
        var asked = new Recorded();
        try
        {
            var app = await TestStack.StartBuiltAsync(async ct =>
            {
                firsts.Clear();
                clock.Restart();
                asked.Requests.Clear();
                var built = await TestStack.BuildAsF5Async(volumes, ct, builder => builder.Services.ConfigureHttpClientDefaults(
                    client => client.AddHttpMessageHandler(() => new Recording(asked))), settings);
                modelBuilt = clock.Elapsed;
                watches.Add(WatchAsync(built, firsts, clock, watching.Token));
                return built;
            }, TestStack.StartTimeout, cancellationToken);
            await watching.CancelAsync();
            await Task.WhenAll(watches);
            var healthy = clock.Elapsed;
            // Only the start's requests: the measurements' own polls afterwards are not recorded.
            asked.Stopped = true;
            var graph = new Graph(app, volumes) { ModelBuilt = modelBuilt, Healthy = healthy, HealthPaths = HealthPathsOf(app, asked.Requests) };
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

    private static Dictionary<string, (int, string)> HealthPathsOf(DistributedApplication app, IEnumerable<(int Port, string Path)> asked)
    {
        var byPort = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<IResourceWithEndpoints>()
            .SelectMany(r => r.Annotations.OfType<EndpointAnnotation>().Where(e => e.AllocatedEndpoint is not null)
                .Select(e => (Resource: r.Name, HostPort: e.AllocatedEndpoint!.Port, TargetPort: e.TargetPort ?? e.AllocatedEndpoint.Port)))
            .ToDictionary(e => e.HostPort);
        var paths = new Dictionary<string, (int, string)>();
        foreach (var (port, path) in asked)
        {
            if (byPort.TryGetValue(port, out var endpoint))
            {
                paths.TryAdd(endpoint.Resource, (endpoint.TargetPort, path));
            }
        }

        return paths;
    }

    /// <summary>The successful requests to loopback while the graph started: port and path.</summary>
    private sealed class Recorded
    {
        public ConcurrentQueue<(int Port, string Path)> Requests { get; } = new();

        public volatile bool Stopped;
    }

    /// <summary>Notes each successful request to loopback, until the start has ended.</summary>
    private sealed class Recording(Recorded asked) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (!asked.Stopped && response.IsSuccessStatusCode && request.RequestUri is { IsLoopback: true } uri)
            {
                asked.Requests.Enqueue((uri.Port, uri.PathAndQuery));
            }

            return response;
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
