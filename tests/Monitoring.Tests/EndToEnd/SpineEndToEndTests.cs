using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>The spine on real containers: every target scraped, and a fault becomes an alert delivered to the webhook.</summary>
public class SpineEndToEndTests(StackFixture stack) : IClassFixture<SharedGraphUse>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_resource_is_healthy()
    {
        await stack.ReadyAsync();
        var (expected, _) = await StackFixture.ExpectedAsync();

        Assert.Equal(expected, stack.ResourceNames.Order(StringComparer.Ordinal));
        foreach (var name in stack.ResourceNames)
        {
            var state = await stack.App.ResourceNotifications.WaitForResourceHealthyAsync(name, Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, state.Snapshot.HealthStatus);
        }
    }

    [Fact]
    public async Task Prometheus_scrapes_every_target_and_each_is_up()
    {
        await stack.ReadyAsync();
        var (_, expected) = await StackFixture.ExpectedAsync();
        var prometheus = new PrometheusApi(stack.Client("prometheus"));

        var targets = await prometheus.WaitTargetsAsync("every target up",
            targets => targets.Select(t => t.Job).Distinct().Count() == expected.Count && targets.All(t => t.Answered), TimeSpan.FromSeconds(90), Ct);

        Assert.Equal(expected, targets.Select(t => t.Job).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// As on F5 with Docker: the .NET projects run on the host, and Prometheus, in its container, reaches each through
    /// Aspire's container tunnel, whose address inside the container network is <c>aspire.dev.internal</c>.
    /// </summary>
    [Fact]
    public async Task Prometheus_reaches_the_projects_through_the_container_tunnel()
    {
        await stack.ReadyAsync();
        var prometheus = new PrometheusApi(stack.Client("prometheus"));

        foreach (var job in new[] { "probes", StackFixture.SampleService })
        {
            // Its target file may be read a moment after the graph is healthy (file_sd).
            IReadOnlyList<Uri> urls = [];
            await Wait.UntilAsync($"Prometheus to discover the {job} target", async ct =>
                (urls = await prometheus.ScrapeUrlsAsync(job, ct)).Count > 0, TimeSpan.FromSeconds(60), Ct);
            Assert.Equal("aspire.dev.internal", Assert.Single(urls).Host);
        }
    }

    /// <summary>
    /// As on F5, where the dashboard receives them: the projects export their metrics, traces and logs over OTLP
    /// (ServiceDefaults, with the endpoint Aspire gives them), here to the tests' stand-in for the dashboard (OtlpSink).
    /// Metrics are exported every second in Development (Aspire sets OTEL_METRIC_EXPORT_INTERVAL=1000): they must keep
    /// arriving, not once. (With the OTLP exporter a version behind the SDK, every batch holding a histogram failed to
    /// serialize and was dropped, and an export arrived only now and then, from a batch without one.)
    /// </summary>
    [Fact]
    public async Task The_projects_export_their_metrics_traces_and_logs_over_otlp()
    {
        await stack.ReadyAsync();

        const string Metrics = "opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
        string[] signals = [Metrics, "opentelemetry.proto.collector.trace.v1.TraceService/Export", "opentelemetry.proto.collector.logs.v1.LogsService/Export"];
        var metricsBefore = OtlpSink.Exports(Metrics);
        string[] missing = signals;
        try
        {
            await Wait.UntilAsync("an OTLP export of each signal, and five more of metrics", _ =>
            {
                missing = [.. signals.Where(s => OtlpSink.Exports(s) == 0), .. OtlpSink.Exports(Metrics) < metricsBefore + 5 ? ["five more metrics exports"] : Array.Empty<string>()];
                return Task.FromResult(missing.Length == 0);
            }, TimeSpan.FromSeconds(30), Ct);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Missing: {string.Join(", ", missing)}.", e);
        }
    }

    [Fact]
    public async Task Prometheus_runs_with_the_retention_parameter()
    {
        await stack.ReadyAsync();

        Assert.Equal("15d", await new PrometheusApi(stack.Client("prometheus")).FlagAsync("storage.tsdb.retention.time", Ct));
    }

    [Fact]
    public async Task The_watchdog_reaches_its_own_receiver()
    {
        await stack.ReadyAsync();

        // Always firing: any delivery since the graph started counts.
        var watchdog = await Webhook.AlertAsync(stack.Client("probes"), "Watchdog", "firing", DateTimeOffset.MinValue, Ct);

        Assert.Equal("watchdog", watchdog.Receiver);
    }

    [Fact]
    public async Task The_reload_command_reloads_prometheus()
    {
        await stack.ReadyAsync();
        var http = stack.Client("prometheus");
        async Task<string?> LastConfigTimeAsync(CancellationToken ct) =>
            (await http.GetFromJsonAsync<JsonElement>("/api/v1/status/runtimeinfo", ct)).GetProperty("data").GetProperty("lastConfigTime").GetString();
        var before = await LastConfigTimeAsync(Ct);
        // Prometheus reports its last load in whole seconds (web/web.go: time.Unix of
        // prometheus_config_last_reload_success_timestamp_seconds), so a reload within the second of the previous
        // load (the graph's start, moments before when this test runs first) would look like none: the reload is
        // sent once that second has passed.
        var loadedAt = DateTimeOffset.Parse(before!, System.Globalization.CultureInfo.InvariantCulture);
        await Wait.UntilAsync("the second of the last load to pass", _ => Task.FromResult(DateTimeOffset.UtcNow >= loadedAt.AddSeconds(1)),
            TimeSpan.FromSeconds(10), Ct, TimeSpan.FromMilliseconds(100));

        var result = await stack.App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync("prometheus", PrometheusBuilderExtensions.ReloadCommandName, Ct);

        Assert.True(result.Success, result.Message);
        await Wait.UntilAsync("a newer configuration load", async ct => await LastConfigTimeAsync(ct) != before, TimeSpan.FromSeconds(30), Ct);
    }
}
