using Microsoft.Extensions.DependencyInjection;
using Polly.Timeout;

namespace Monitoring.Tests.Infrastructure;

/// <summary>Starts the AppHost's graph for real, as the tests run it here, and waits until every resource is healthy.</summary>
internal static class TestStack
{
    /// <summary>How long a graph may take to start.</summary>
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(4);

    /// <summary>How long a graph may take to start, by default.</summary>
    public static TimeSpan StartTimeout => s_startTimeout;

    /// <summary>
    /// Held while a graph starts: two start at a time at most. A start is mostly CPU on two cores (the orchestrator, the
    /// checks, every container at once), so graphs starting side by side slow each other down. The two on the run's
    /// longest paths start first: the shared graph's (<c>StackFixture</c> takes the lock before any test runs)
    /// and the fault test's; Podman's, whose test has time to spare, starts once the shared graph is up. Measured here:
    /// with three at once the fault test's graph was up after 39 s and the last test ended at 111 s; with two, 28 s
    /// and 93 s. The host alerts', the unwritable volume's and the port-retry test's graphs also wait for the shared
    /// graph's start to end (<c>StackFixture.StartEndedAsync</c>; the volume test starts outside this lock: its
    /// Prometheus, alone, never becomes healthy). The tests' waits, most of their time, overlap freely.
    /// </summary>
    public static SemaphoreSlim StartLock { get; } = new(2, 2);

    /// <summary>
    /// The settings that run the graph on Podman, as the <c>podman</c> launch profile does: Podman 4.3 cannot run
    /// Aspire's container tunnel, so Probes runs as its container and every hop is container to container.
    /// </summary>
    public static readonly string[] OnPodman =
        [$"ASPIRE_CONTAINER_RUNTIME={ContainerHost.Podman}", "ASPIRE_ENABLE_CONTAINER_TUNNEL=false", "Monitoring:ProbesHosting=Container"];

    /// <summary>
    /// Starts the graph as F5 runs it - the official images, Probes as the project, reached through Aspire's container
    /// tunnel, on the runtime Aspire chooses - with the differences of <see cref="Settings"/> (test-scale timers, the
    /// full graph's components off), plus <paramref name="settings"/> (<c>key=value</c>, which may change any of that),
    /// and waits until every container and project is healthy.
    /// </summary>
    public static Task<DistributedApplication> StartAsync(TestVolumes volumes, CancellationToken cancellationToken, params string[] settings) =>
        StartAsync(volumes, _ => { }, cancellationToken, settings);

    /// <summary>As <see cref="StartAsync(TestVolumes, CancellationToken, string[])"/>, changing the model with <paramref name="configure"/> first.</summary>
    public static Task<DistributedApplication> StartAsync(
        TestVolumes volumes, Action<IDistributedApplicationTestingBuilder> configure, CancellationToken cancellationToken, params string[] settings) =>
        StartAsync(volumes, configure, s_startTimeout, cancellationToken, settings);

    /// <summary>As <see cref="StartAsync(TestVolumes, Action{IDistributedApplicationTestingBuilder}, CancellationToken, string[])"/>, with a start that may take <paramref name="startTimeout"/>.</summary>
    public static async Task<DistributedApplication> StartAsync(
        TestVolumes volumes, Action<IDistributedApplicationTestingBuilder> configure, TimeSpan startTimeout, CancellationToken cancellationToken, params string[] settings)
    {
        await StartLock.WaitAsync(cancellationToken);
        try
        {
            return await StartHoldingTheLockAsync(volumes, configure, startTimeout, cancellationToken, settings);
        }
        finally
        {
            StartLock.Release();
        }
    }

    /// <summary>
    /// As <see cref="StartAsync(TestVolumes, Action{IDistributedApplicationTestingBuilder}, CancellationToken, string[])"/>,
    /// for a caller that holds <see cref="StartLock"/>; a start that fails on a hiccup is tried once more
    /// (<see cref="StartBuiltAsync"/>).
    /// </summary>
    public static Task<DistributedApplication> StartHoldingTheLockAsync(
        TestVolumes volumes, Action<IDistributedApplicationTestingBuilder> configure, TimeSpan startTimeout, CancellationToken cancellationToken, params string[] settings) =>
        StartBuiltAsync(ct => BuildAsync(volumes, ct, configure, settings), startTimeout, cancellationToken);

    /// <summary>
    /// Starts the app <paramref name="build"/> builds and waits until every container and project is healthy, failing
    /// with each resource's state after <paramref name="startTimeout"/>. A start whose orchestrator does not answer,
    /// or that fails on a runtime health hiccup or on a host port taken under a container, is built and tried once
    /// more, with <see cref="OrchestratorRetryWarning"/>, <see cref="RuntimeRetryWarning"/> or
    /// <see cref="PortRetryWarning"/> on the standard error. The benchmarks start their graphs here too.
    /// </summary>
    /// <param name="build">Builds the app (called again for the retry).</param>
    /// <param name="startTimeout">How long the start may take.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <param name="warn">Where the warning of a second start goes (the standard error by default).</param>
    /// <returns>The running app.</returns>
    public static async Task<DistributedApplication> StartBuiltAsync(
        Func<CancellationToken, Task<DistributedApplication>> build, TimeSpan startTimeout, CancellationToken cancellationToken, Action<string>? warn = null)
    {
        try
        {
            return await StartOnceAsync(build, startTimeout, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && RetryWarning(e) is { } warning)
        {
            // The app is disposed (everything it started is stopped) and started once more, and the run says so:
            // eng/test.sh repeats these lines next to its closing line, and keeps DCP's own logs in artifacts/dcp-logs.
            (warn ?? Console.Error.WriteLine)($"{warning} {e.Message}");
            return await StartOnceAsync(build, startTimeout, cancellationToken);
        }
    }

    /// <summary>The warning for a start that failed in a way worth one more try, or null.</summary>
    private static string? RetryWarning(Exception e) => e switch
    {
        // Aspire's own client of its orchestrator (DCP) gave up: a call to DCP's API did not succeed within its two
        // minutes. Seen once in about ten full runs here, on a graph started beside two others: DCP's API server wrote
        // no kubeconfig for two minutes, and said nothing at the AppHost's log levels (Aspire 13.6 logs DCP's errors at
        // Debug).
        TimeoutRejectedException => OrchestratorRetryWarning,
        // The orchestrator found the container runtime slow to answer its health check at the moment a resource waited
        // for another, marked that one RuntimeUnhealthy, and the waiting one failed to start (Aspire 13.6: a dependency
        // that enters RuntimeUnhealthy ends the wait; microsoft/aspire#8737, open). Seen here on a freshly started
        // Docker Engine under a full run's load.
        RuntimeUnhealthyException => RuntimeRetryWarning,
        // The orchestrator picked a free host port for a container, and by the time the runtime started the container
        // something else listened there: seen here with Podman, whose container start takes seconds under load, while
        // the other graphs of the run opened their own ports (the orchestrator's retries found the port still taken).
        // One graph, as F5 runs it, races only itself.
        PortTakenException => PortRetryWarning,
        _ => null,
    };

    /// <summary>The start of the line a test writes when a container's host port was taken before it started and a graph is started again.</summary>
    public const string PortRetryWarning = "warning: a container's host port was taken by another process before it started; starting the graph again:";

    /// <summary>A start that failed because a container's host port was taken.</summary>
    private sealed class PortTakenException(string message, Exception inner) : Exception(message, inner);

    /// <summary>The start of the line a test writes when a resource failed to start on a runtime health hiccup and a graph is started again.</summary>
    public const string RuntimeRetryWarning = "warning: the container runtime answered the orchestrator's health check late; starting the graph again:";

    /// <summary>A start that failed while a resource was RuntimeUnhealthy.</summary>
    private sealed class RuntimeUnhealthyException(string message, Exception inner) : Exception(message, inner);

    /// <summary>The start of the line a test writes when the orchestrator did not answer and a graph is started again.</summary>
    public const string OrchestratorRetryWarning = "warning: the orchestrator did not answer within 2 minutes; starting the graph again:";

    private static async Task<DistributedApplication> StartOnceAsync(
        Func<CancellationToken, Task<DistributedApplication>> build, TimeSpan startTimeout, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(startTimeout);
        var app = await build(timeout.Token);
        // Which resources went RuntimeUnhealthy during the start (see RetryWarning).
        var runtimeUnhealthy = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var watch = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in app.ResourceNotifications.WatchAsync(watching.Token))
                {
                    if (e.Snapshot.State?.Text == KnownResourceStates.RuntimeUnhealthy)
                    {
                        runtimeUnhealthy[e.Resource.Name] = true;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The start has ended.
            }
        }, CancellationToken.None);
        try
        {
            try
            {
                await app.StartAsync(timeout.Token);
                foreach (var name in RunnableResources(app))
                {
                    await app.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token);
                }
            }
            finally
            {
                await watching.CancelAsync();
                await watch;
            }

            return app;
        }
        catch (DistributedApplicationException e) when (!runtimeUnhealthy.IsEmpty)
        {
            await app.DisposeAsync();
            throw new RuntimeUnhealthyException($"{e.Message} ({string.Join(", ", runtimeUnhealthy.Keys.Order(StringComparer.Ordinal))} went RuntimeUnhealthy)", e);
        }
        catch (DistributedApplicationException e)
        {
            string? taken;
            try
            {
                taken = await PortTakenAsync(app);
            }
            finally
            {
                await app.DisposeAsync();
            }

            if (taken is null)
            {
                throw;
            }

            throw new PortTakenException($"{e.Message} ({taken})", e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Say what each resource was doing, and the last lines of the ones that are not healthy.
            var report = await DescribeAsync(app);
            await app.DisposeAsync();
            throw new TimeoutException($"The graph was not healthy within {startTimeout.TotalMinutes:0} minutes:{Environment.NewLine}{report}");
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The components only <c>FullGraphEndToEndTests</c> runs: the other graphs leave them off, and
    /// Probes stands in for Airflow's and Kafka's series (<see cref="Settings"/>). They are the heaviest (Airflow alone
    /// is five processes), and the faults of the other tests are the spine's.
    /// </summary>
    public static readonly string[] FullGraphOnly = ["grafana", "kafka", "kafka-exporter", "airflow", "statsd-exporter"];

    /// <summary>
    /// Settings that switch off every component of eng/images/pins.txt but Prometheus and <paramref name="kept"/>: the
    /// graph of a test about those alone, which a component added to the AppHost later does not join.
    /// </summary>
    /// <param name="kept">The components left on.</param>
    /// <returns>The settings (<c>Monitoring:Components:name=false</c>).</returns>
    public static string[] Only(params string[] kept) =>
        [.. PinnedImages.All.Select(p => p.Component).Where(c => c != "prometheus" && !kept.Contains(c)).Select(c => $"Monitoring:Components:{c}=false")];

    /// <summary>
    /// How the test graphs differ from F5's, each with its reason: the settings every graph of <see cref="StartAsync(TestVolumes, CancellationToken, string[])"/>
    /// gets (before a test's own). <c>TestModelEqualityTests</c> holds the models to this list, and
    /// docs/setup.md repeats it.
    /// </summary>
    public static readonly (string Setting, string Why)[] Settings =
    [
        // 2 s scrapes: the blackbox-exporter's probe timeout is the scrape timeout less half a second, and must
        // outlast the 1 s EndpointSlow threshold.
        ("Monitoring:ScrapeInterval=2s", "scrapes every 2 s instead of 15 s, so a fault shows within seconds"),
        ("Monitoring:EvaluationInterval=1s", "rules evaluated every second instead of 15 s"),
        ("Monitoring:MaxAlertFor=4s", "alerts wait at most 4 s before firing; their real 'for's are proven by promtool's unit tests"),
        ("Monitoring:MaxGroupInterval=2s", "notifications and resolutions leave Alertmanager within 2 s; its real timers are in alertmanager.yml, proven by amtool and the routing tests"),
        ("Monitoring:AlertResendDelay=2s", "firing alerts reach an Alertmanager that returns within 2 s instead of Prometheus' minute"),
        .. FullGraphOnly.Select(c => ($"Monitoring:Components:{c}=false", "run by the full-graph test only")),
        ("Monitoring:SyntheticSeries=WhenOff", "Probes serves Airflow's and Kafka's series in their place, as on a machine that cannot run them"),
    ];

    /// <summary>Builds the graph as <see cref="StartAsync(TestVolumes, CancellationToken, string[])"/> runs it, without starting it.</summary>
    public static Task<DistributedApplication> BuildAsync(TestVolumes volumes, CancellationToken cancellationToken, params string[] settings) =>
        BuildAsync(volumes, cancellationToken, _ => { }, settings);

    /// <summary>As <see cref="BuildAsync(TestVolumes, CancellationToken, string[])"/>, changing the model with <paramref name="configure"/> first.</summary>
    public static Task<DistributedApplication> BuildAsync(
        TestVolumes volumes, CancellationToken cancellationToken, Action<IDistributedApplicationTestingBuilder> configure, params string[] settings) =>
        BuildAsF5Async(volumes, cancellationToken, configure, [.. Settings.Select(s => s.Setting), .. settings]);

    /// <summary>
    /// Builds the graph F5 builds - the checked-in timers, every component - with <paramref name="settings"/>
    /// (<c>key=value</c>) and the projects' telemetry going to a live OTLP endpoint, as it goes to the dashboard on F5
    /// (<see cref="OtlpSink"/>): the benchmarks' default graph.
    /// </summary>
    public static async Task<DistributedApplication> BuildAsF5Async(
        TestVolumes volumes, CancellationToken cancellationToken, Action<IDistributedApplicationTestingBuilder> configure, params string[] settings) =>
        await BuildWithArgsAsync(volumes, cancellationToken, configure, [$"ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL={await OtlpSink.UrlAsync()}", .. settings]);

    /// <summary>
    /// Builds the AppHost's graph with exactly these settings (<c>key=value</c>), as the testing builder runs the
    /// AppHost: its own volumes and secret values (<paramref name="volumes"/>), its log in a file of its own
    /// (<see cref="GraphLog"/>), no dashboard.
    /// </summary>
    public static async Task<DistributedApplication> BuildWithArgsAsync(
        TestVolumes volumes, CancellationToken cancellationToken, Action<IDistributedApplicationTestingBuilder> configure, IEnumerable<string> settings)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [.. settings.Select(a => $"--{a}")], (options, _) => options.DisableDashboard = true, cancellationToken);
        volumes.Apply(builder);
        GraphLog.Apply(builder, volumes.LogName);
        configure(builder);
        return await builder.BuildAsync(cancellationToken);
    }

    /// <summary>Each resource's state and health, with the last log lines of those that are not healthy.</summary>
    public static async Task<string> DescribeAsync(DistributedApplication app)
    {
        var lines = new List<string>();
        foreach (var name in RunnableResources(app))
        {
            app.ResourceNotifications.TryGetCurrentState(name, out var state);
            var snapshot = state?.Snapshot;
            lines.Add($"  {name}: {snapshot?.State?.Text ?? "no state"}, {snapshot?.HealthStatus?.ToString() ?? "no health"}");
            if (snapshot?.HealthStatus is not Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy && state is not null)
            {
                lines.AddRange((await LogAsync(app, state.Resource)).TakeLast(10).Select(l => $"      {l}"));
            }
        }

        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>The resource that failed to start because its host port was taken, with the runtime's line, or null.</summary>
    private static async Task<string?> PortTakenAsync(DistributedApplication app)
    {
        foreach (var name in RunnableResources(app))
        {
            if (app.ResourceNotifications.TryGetCurrentState(name, out var state) && state.Snapshot.State?.Text == KnownResourceStates.FailedToStart
                && (await LogAsync(app, state.Resource)).LastOrDefault(IsPortTaken) is { } line)
            {
                return $"{name}: {line.Trim()}";
            }
        }

        return null;
    }

    /// <summary>
    /// Whether a runtime's line says a host port was taken: by a process (the kernel's words, which Podman and Docker
    /// pass on) or by another of Docker's containers (Docker's own).
    /// </summary>
    private static bool IsPortTaken(string line) =>
        line.Contains("address already in use", StringComparison.Ordinal) || line.Contains("port is already allocated", StringComparison.Ordinal);

    /// <summary>What a resource has logged so far (its console and the orchestrator's lines about it).</summary>
    private static async Task<List<string>> LogAsync(DistributedApplication app, IResource resource)
    {
        var lines = new List<string>();
        using var read = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(resource).WithCancellation(read.Token))
            {
                lines.AddRange(batch.Select(l => l.Content));
            }
        }
        catch (OperationCanceledException)
        {
            // The replay of what was logged is all there is.
        }

        return lines;
    }

    /// <summary>The names of the app's containers and projects that start with it (not those a test left to start on demand).</summary>
    public static IReadOnlyList<string> RunnableResources(DistributedApplication app) =>
        RunnableResources(app.Services.GetRequiredService<DistributedApplicationModel>());

    /// <summary>The containers and projects of a model that start with it.</summary>
    public static IReadOnlyList<string> RunnableResources(DistributedApplicationModel model) =>
        [.. model.Resources.Where(r => r is ContainerResource or ProjectResource && !r.Annotations.OfType<ExplicitStartupAnnotation>().Any()).Select(r => r.Name)];
}
