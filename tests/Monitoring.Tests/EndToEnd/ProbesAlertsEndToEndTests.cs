using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Probes.Work;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>
/// The spine's fault path on the shared graph: Probes' error and latency faults become alerts delivered to the webhook,
/// and resolutions once they end. A class of its own, so that its waits start as soon as the graph is up, beside the
/// spine's other tests rather than after them.
/// </summary>
public class ProbesAlertsEndToEndTests(StackFixture stack) : IClassFixture<SharedGraphUse>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Error_and_latency_faults_are_alerted_to_the_webhook_and_resolved_when_they_end()
    {
        await stack.ReadyAsync();
        var probes = stack.Client("probes");
        var commands = stack.App.Services.GetRequiredService<ResourceCommandService>();

        // One fault through the API, the other through the dashboard's command.
        var since = DateTimeOffset.UtcNow;
        var started = await probes.PostAsync("/scenarios/error-burst",
            new StringContent("""{"durationSeconds": 600, "errorRatio": 1}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var command = await commands.ExecuteCommandAsync("probes", "scenario-latency-spike", Ct);
        Assert.True(command.Success, command.Message);

        // The standard ASP.NET Core metrics of Probes' own requests, under its job: nothing simulated. The faults end
        // once both alerts fire in Prometheus, which sends them to Alertmanager again every resend delay while their 1m
        // windows still hold the faults' requests: the firing notifications must reach the webhook, then, under a rush
        // of good requests (Callers.Rush), the resolutions.
        var prometheus = new PrometheusApi(stack.Client("prometheus"));
        DateTimeOffset ended;
        HttpResponseMessage[] stopped;
        try
        {
            await Task.WhenAll(
                prometheus.WaitFiringAsync("ServiceHighErrorRatio", "probes", Webhook.DefaultTimeout, Ct),
                prometheus.WaitFiringAsync("ServiceHighLatency", "probes", Webhook.DefaultTimeout, Ct));
        }
        finally
        {
            // Ended whatever happened: the shared graph's other tests must not see these faults go on.
            ended = DateTimeOffset.UtcNow;
            stopped = await Task.WhenAll(probes.DeleteAsync("/scenarios/error-burst", Ct), probes.DeleteAsync("/scenarios/latency-spike", Ct));
        }

        Assert.All(stopped, s => Assert.Equal(HttpStatusCode.NoContent, s.StatusCode));
        var alert = await AlertAsync(probes, "ServiceHighErrorRatio", "firing", since);
        Assert.Equal("warning", alert.Label("severity"));
        Assert.StartsWith("docs/alerts.md#", alert.Annotation("runbook_url"));
        Assert.Equal("probes", (await AlertAsync(probes, "ServiceHighLatency", "firing", since)).Receiver);
        await Callers.RushUntilAsync(probes, WorkEndpoints.Path, Callers.Rush,
            () => Task.WhenAll(AlertAsync(probes, "ServiceHighErrorRatio", "resolved", ended), AlertAsync(probes, "ServiceHighLatency", "resolved", ended)), Ct);
    }

    /// <summary>The alert of the Probes service (its job), so another service's never counts.</summary>
    private static Task<DeliveredAlert> AlertAsync(HttpClient probes, string alertname, string status, DateTimeOffset since) =>
        Webhook.AlertAsync(probes, alertname, status, since, Ct, new Dictionary<string, string> { ["job"] = "probes" });
}
