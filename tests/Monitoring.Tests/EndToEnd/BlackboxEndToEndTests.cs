using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>The blackbox-exporter probing the services' HTTP endpoints on real containers.</summary>
[Collection(StackCollection.Name)]
public class BlackboxEndToEndTests(StackFixture stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_probed_endpoint_succeeds_and_is_labelled_with_its_url()
    {
        stack.SkipIfUnavailable();
        var prometheus = new PrometheusApi(stack.Client("prometheus"));
        var instances = new List<string>();

        await Wait.UntilAsync("probe_success == 1 for the three probed endpoints", async ct =>
        {
            var results = await prometheus.QueryAsync("probe_success{job=\"blackbox\"} == 1", ct);
            instances = [.. results.EnumerateArray().Select(r => r.GetProperty("metric").GetProperty("instance").GetString()!).Order()];
            return instances.Count == 3;
        }, TimeSpan.FromSeconds(60), Ct);

        Assert.All(instances, i => Assert.StartsWith("http://", i));
        Assert.Contains(instances, i => i.EndsWith("/health", StringComparison.Ordinal));
    }
}
