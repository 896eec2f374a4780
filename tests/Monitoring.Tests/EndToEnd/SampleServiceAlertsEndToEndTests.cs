using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>
/// A service of a team's own, monitored with one call (the sample orders API in the shared graph): its failing and slow
/// requests alerted from ASP.NET Core's standard metrics, and resolved when they stop. A class of its own, so that its
/// waits start as soon as the graph is up, beside <see cref="ServicesEndToEndTests"/> rather than after it.
/// </summary>
public class SampleServiceAlertsEndToEndTests(StackFixture stack) : IClassFixture<SharedGraphUse>
{
    private static readonly Dictionary<string, string> s_sample = new() { ["job"] = StackFixture.SampleService };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Its_failing_and_slow_requests_fire_the_service_error_and_latency_alerts_which_resolve_when_they_stop()
    {
        await stack.ReadyAsync();
        var sample = stack.App.CreateHttpClient(StackFixture.SampleService, "http");
        var probes = stack.Client("probes");

        // Callers hit its bug (order 0 throws: 500) and its slow report (1.5 s) until both alerts fire in Prometheus,
        // which sends them to Alertmanager again every resend delay while their 1m windows still hold those calls: the
        // firing notifications must reach the webhook, then the resolutions.
        var since = DateTimeOffset.UtcNow;
        using var calling = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        Task[] callers = [Callers.CallAsync(sample, "/orders/0", calling.Token), .. Enumerable.Range(0, 3).Select(_ => Callers.CallAsync(sample, "/orders/report", calling.Token))];
        var prometheus = new PrometheusApi(stack.Client("prometheus"));
        try
        {
            await Task.WhenAll(
                prometheus.WaitFiringAsync("ServiceHighErrorRatio", StackFixture.SampleService, Webhook.DefaultTimeout, Ct),
                prometheus.WaitFiringAsync("ServiceHighLatency", StackFixture.SampleService, Webhook.DefaultTimeout, Ct));
        }
        finally
        {
            await calling.CancelAsync();
            await Task.WhenAll(callers);
        }

        var ended = DateTimeOffset.UtcNow;

        var (errors, latency) = (await Webhook.AlertAsync(probes, "ServiceHighErrorRatio", "firing", since, Ct, s_sample),
            await Webhook.AlertAsync(probes, "ServiceHighLatency", "firing", since, Ct, s_sample));
        Assert.Equal("warning", errors.Label("severity"));
        Assert.Equal("docs/alerts.md#servicehigherrorratio", errors.Annotation("runbook_url"));
        Assert.Equal("docs/alerts.md#servicehighlatency", latency.Annotation("runbook_url"));

        // Good, fast requests only, from 15 callers (150 a second): the ratio and the p99 fall and both resolutions are
        // delivered. Fewer than Callers.Rush: had the failing and slow calls gone on (10 and 2 a second), they would
        // still be 6% and 1.2% of the requests, above both thresholds, so the resolutions need them to have stopped.
        await Callers.RushUntilAsync(sample, "/orders/7", 15, () => Task.WhenAll(
            Webhook.AlertAsync(probes, "ServiceHighErrorRatio", "resolved", ended, Ct, s_sample),
            Webhook.AlertAsync(probes, "ServiceHighLatency", "resolved", ended, Ct, s_sample)), Ct);
    }
}
