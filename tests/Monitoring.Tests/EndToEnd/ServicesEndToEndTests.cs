using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>
/// A service of a team's own, monitored with one call (<c>WithMonitoring</c>; the sample orders API in the shared
/// graph): scraped under its own job (its failing and slow requests alerted: <see cref="SampleServiceAlertsEndToEndTests"/>).
/// </summary>
public class ServicesEndToEndTests(StackFixture stack) : IClassFixture<SharedGraphUse>
{
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
}
