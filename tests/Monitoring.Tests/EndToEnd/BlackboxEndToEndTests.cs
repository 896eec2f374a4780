using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>
/// The blackbox-exporter probing the services' HTTP endpoints on real containers, and the alerts on a failing and a
/// slow endpoint (in one class: they break the endpoint the first test needs working).
/// </summary>
public class BlackboxEndToEndTests(StackFixture stack) : IClassFixture<SharedGraphUse>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_probed_endpoint_succeeds_and_is_labelled_with_its_url()
    {
        await stack.ReadyAsync();
        var prometheus = new PrometheusApi(stack.Client("prometheus"));
        var instances = new List<string>();

        await Wait.UntilAsync("probe_success == 1 for the three probed endpoints", async ct =>
        {
            var results = await prometheus.QueryAsync("probe_success{job=\"blackbox\"} == 1", ct);
            instances = [.. results.EnumerateArray().Select(r => r.GetProperty("metric").GetProperty("instance").GetString()!).Order()];
            return instances.Count == 3;
        }, TimeSpan.FromSeconds(60), Ct);

        Assert.All(instances, i => Assert.StartsWith("http://", i));
        Assert.Contains(instances, i => i.EndsWith("/status", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_and_a_slow_endpoint_are_alerted_from_the_blackbox_probe()
    {
        await stack.ReadyAsync();
        var probes = stack.Client("probes");

        var since = DateTimeOffset.UtcNow;
        await Scenarios.StartAsync(probes, "endpoint-down", """{"durationSeconds": 600}""", Ct);
        try
        {
            var down = await Webhook.AlertAsync(probes, "EndpointDown", "firing", since, Ct, new Dictionary<string, string> { ["aspire_resource"] = "probes" });
            Assert.Equal("critical", down.Label("severity"));
            Assert.EndsWith("/status", down.Label("instance"), StringComparison.Ordinal);
        }
        finally
        {
            await probes.DeleteAsync("/scenarios/endpoint-down", Ct);
        }

        // Slower than the 1 s threshold, within the probe's timeout (the scrape timeout less half a second).
        since = DateTimeOffset.UtcNow;
        await Scenarios.StartAsync(probes, "endpoint-slow", """{"durationSeconds": 600, "delaySeconds": 1.2}""", Ct);
        try
        {
            var slow = await Webhook.AlertAsync(probes, "EndpointSlow", "firing", since, Ct, new Dictionary<string, string> { ["aspire_resource"] = "probes" });
            Assert.EndsWith("/status", slow.Label("instance"), StringComparison.Ordinal);
        }
        finally
        {
            await probes.DeleteAsync("/scenarios/endpoint-slow", Ct);
        }
    }
}
