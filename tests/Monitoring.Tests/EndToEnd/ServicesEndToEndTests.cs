using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>
/// A service of a team's own, monitored with one call (<c>WithMonitoring</c>; the sample orders API in the shared
/// graph): scraped under its own job, and its failing and slow requests alerted from ASP.NET Core's standard metrics.
/// </summary>
public class ServicesEndToEndTests(StackFixture stack) : IClassFixture<SharedGraphUse>
{
    private static readonly Dictionary<string, string> s_sample = new() { ["job"] = StackFixture.SampleService };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_service_added_with_one_call_is_scraped_under_its_own_job_as_a_service()
    {
        await stack.ReadyAsync();
        var prometheus = new PrometheusApi(stack.Client("prometheus"));

        await Wait.UntilAsync("the sample service's request metrics", async ct =>
            (await prometheus.QueryAsync($"http_server_request_duration_seconds_count{{job=\"{StackFixture.SampleService}\", kind=\"service\"}}", ct)).GetArrayLength() > 0,
            TimeSpan.FromSeconds(60), Ct);
        Assert.Equal(1, (await prometheus.QueryAsync($"up{{job=\"{StackFixture.SampleService}\", kind=\"service\"}} == 1", Ct)).GetArrayLength());
    }

    [Fact]
    public async Task Its_failing_and_slow_requests_fire_the_service_error_and_latency_alerts_which_resolve_when_they_stop()
    {
        await stack.ReadyAsync();
        var sample = stack.App.CreateHttpClient(StackFixture.SampleService, "http");
        var probes = stack.Client("probes");

        // Callers hit its bug (order 0 throws: 500) and its slow report (1.5 s) until both alerts arrive.
        var since = DateTimeOffset.UtcNow;
        using var calling = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        Task[] callers = [CallAsync(sample, "/orders/0", calling.Token), .. Enumerable.Range(0, 3).Select(_ => CallAsync(sample, "/orders/report", calling.Token))];
        DeliveredAlert errors, latency;
        try
        {
            (errors, latency) = (await Webhook.AlertAsync(probes, "ServiceHighErrorRatio", "firing", since, Ct, s_sample),
                await Webhook.AlertAsync(probes, "ServiceHighLatency", "firing", since, Ct, s_sample));
        }
        finally
        {
            await calling.CancelAsync();
            await Task.WhenAll(callers);
        }

        Assert.Equal("warning", errors.Label("severity"));
        Assert.Equal("docs/alerts.md#servicehigherrorratio", errors.Annotation("runbook_url"));
        Assert.Equal("docs/alerts.md#servicehighlatency", latency.Annotation("runbook_url"));

        // Good, fast requests only: the ratio and the p99 fall and both resolutions are delivered.
        var ended = DateTimeOffset.UtcNow;
        using var healthy = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var good = CallAsync(sample, "/orders/7", healthy.Token);
        try
        {
            await Task.WhenAll(
                Webhook.AlertAsync(probes, "ServiceHighErrorRatio", "resolved", ended, Ct, s_sample),
                Webhook.AlertAsync(probes, "ServiceHighLatency", "resolved", ended, Ct, s_sample));
        }
        finally
        {
            await healthy.CancelAsync();
            await good;
        }
    }

    /// <summary>Calls a path ten times a second until cancelled, as a steady stream of callers would.</summary>
    private static async Task CallAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                using var response = await client.GetAsync(path, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Done calling.
        }
    }
}
