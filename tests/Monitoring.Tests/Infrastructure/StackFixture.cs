using Monitoring.Tests.Infrastructure;

// One graph for the whole assembly: the classes that use it run in parallel (their faults and alerts do not meet),
// the tests of a class one after another.
[assembly: AssemblyFixture(typeof(StackFixture))]

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// The graph as the tests run it here (see <see cref="TestStack"/>), started once for the test assembly and torn
/// down, volumes included, after the last test class using it (<see cref="SharedGraphUse"/>), with a service of a
/// team's own added as a user would, with one call: the sample orders API (samples/SampleApi). Where the runtime or an
/// image is missing it does not start, and every test using it is skipped with the reason.
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    /// <summary>The sample service's resource name (and its job).</summary>
    public const string SampleService = "sample-api";

    /// <summary>
    /// What this graph must run, read from its model as built on a machine with every image (<see cref="AppHostModel"/>,
    /// with the tests' settings: F5's components but the full graph's, <see cref="TestStack.Settings"/>), the sample
    /// service added: its resources, and the jobs Prometheus must scrape (a service's job is its name). The graph that
    /// runs here is held to these, so a component added to the AppHost is expected here with no list to edit, and one
    /// that cannot run here (its image missing) or is not scraped fails.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Resources, IReadOnlyList<string> Jobs)> ExpectedAsync()
    {
        await using var model = await AppHostModel.BuildAsync([.. TestStack.Settings.Select(s => s.Setting)]);
        var prometheus = model.Model.Resources.OfType<PrometheusResource>().Single();
        var jobs = prometheus.Annotations.OfType<IScrapeTargetSource>()
            .Select(s => s is ScrapeTargetAnnotation target && target.Labels.TryGetValue("job", out var own) ? own : s.Job);
        return ([.. TestStack.RunnableResources(model.Model).Append(SampleService).Order(StringComparer.Ordinal)],
                [.. jobs.Append(SampleService).Distinct().Order(StringComparer.Ordinal)]);
    }

    private readonly TestVolumes _volumes = new() { LogName = GraphLog.SharedName };
    private readonly CancellationTokenSource _stopping = new();
    private Task<DistributedApplication?>? _starting;
    private DistributedApplication? _app;
    private int _released;
    private int _stopped;

    /// <summary>The running application.</summary>
    public DistributedApplication App => _app ?? throw new InvalidOperationException("The stack is not running.");

    /// <summary>Why the stack could not start here, or <see langword="null"/>.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>The names of the resources in the graph.</summary>
    public IReadOnlyList<string> ResourceNames { get; private set; } = [];

    /// <summary>
    /// Starts the graph in the background, before any other (most end-to-end tests need this one), and returns at
    /// once, so the tests that do not need it (model, config, API tests, but promtool's rule tests) run while it
    /// starts; the tests that do await <see cref="ReadyAsync"/>.
    /// </summary>
    public async ValueTask InitializeAsync()
    {
        LeftoverVolumes.NoteRunStart();
        await TestStack.StartLock.WaitAsync();
        _starting = Task.Run(async () =>
        {
            try
            {
                SkipReason = await ContainerHost.MissingAsync(ContainerHost.GraphImages);
                return SkipReason is null ? await TestStack.StartHoldingTheLockAsync(_volumes, AddSampleService, TestStack.StartTimeout, _stopping.Token) : null;
            }
            finally
            {
                TestStack.StartLock.Release();
            }
        });
    }

    /// <summary>
    /// Waits until the graph's start has ended (healthy, failed or not tried here), not until it is usable. The tests
    /// whose work has time to spare await this before starting it - the host alerts', the unwritable volume's and
    /// Podman's graphs, promtool's rule tests (CPU that nothing waits for) - so that the starts on the run's longest
    /// paths, this graph's (its tests' alert waits begin once it is up) and the fault test's, have the CPU first.
    /// </summary>
    public Task StartEndedAsync() => _starting?.ContinueWith(_ => { }, TaskScheduler.Default) ?? Task.CompletedTask;

    /// <summary>Waits until the graph is up (every resource healthy), or skips the calling test when it cannot run here.</summary>
    public async Task ReadyAsync()
    {
        // Named first: a start that fails fails every test that uses the graph, and each shows the log's last lines.
        GraphLog.Name(GraphLog.PathFor(GraphLog.SharedName));
        var app = await _starting!.WaitAsync(TestContext.Current.CancellationToken);
        Assert.SkipWhen(app is null, SkipReason ?? "");
        if (_app is null)
        {
            ResourceNames = TestStack.RunnableResources(app);
            _app = app;
        }
    }

    /// <summary>The sample service, added and monitored as docs/monitor-your-service.md says: one call (on the project as the AppHost SDK describes it).</summary>
    public static void AddSampleService(IDistributedApplicationTestingBuilder builder)
    {
        var prometheus = builder.CreateResourceBuilder(builder.Resources.OfType<PrometheusResource>().Single());
        builder.AddProject<SampleApiProject>(SampleService)
            .WithHttpHealthCheck("/health")
            .WithMonitoring(prometheus);
    }

    /// <summary>An HTTP client for a resource's <c>http</c> endpoint.</summary>
    public HttpClient Client(string resource) => App.CreateHttpClient(resource, "http");

    /// <summary>
    /// A test class that used the graph has finished (<see cref="SharedGraphUse"/>); after the last of them, the graph
    /// stops.
    /// </summary>
    public async ValueTask ReleaseAsync()
    {
        if (Interlocked.Increment(ref _released) == SharedGraphUse.Users)
        {
            await StopAsync();
        }
    }

    /// <summary>Stops the graph if it still runs; then, every test having ended, no volume may be left (<see cref="LeftoverVolumes"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await LeftoverVolumes.CheckRunAsync();
    }

    private async ValueTask StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        var app = _starting is null ? null : await _starting.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default);
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        _volumes.Dispose();
        _stopping.Dispose();
    }
}
