using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>The spine on real containers: every target scraped, and a fault becomes an alert delivered to the webhook.</summary>
[Collection(StackCollection.Name)]
public class SpineEndToEndTests(StackFixture stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_resource_is_healthy()
    {
        stack.SkipIfUnavailable();

        Assert.Equal(StackFixture.ExpectedResources, stack.ResourceNames.Order());
        foreach (var name in stack.ResourceNames)
        {
            var state = await stack.App.ResourceNotifications.WaitForResourceHealthyAsync(name, Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, state.Snapshot.HealthStatus);
        }
    }

    [Fact]
    public async Task Prometheus_scrapes_every_target_and_each_is_up()
    {
        stack.SkipIfUnavailable();
        var prometheus = new PrometheusApi(stack.Client("prometheus"));

        IReadOnlyList<(string Job, string Health, string Error)> targets = [];
        await Wait.UntilAsync("every target up", async ct =>
        {
            targets = await prometheus.TargetsAsync(ct);
            return targets.Select(t => t.Job).Distinct().Count() == StackFixture.ExpectedJobs.Length && targets.All(t => t.Health == "up");
        }, TimeSpan.FromSeconds(90), Ct);

        Assert.Equal(StackFixture.ExpectedJobs, targets.Select(t => t.Job).Distinct().Order());
    }

    [Fact]
    public async Task Prometheus_runs_with_the_retention_parameter()
    {
        stack.SkipIfUnavailable();

        Assert.Equal("15d", await new PrometheusApi(stack.Client("prometheus")).FlagAsync("storage.tsdb.retention.time", Ct));
    }

    [Fact]
    public async Task An_error_burst_is_alerted_to_the_webhook_and_resolved_when_it_ends()
    {
        stack.SkipIfUnavailable();
        var probes = stack.Client("probes");

        var started = await probes.PostAsync("/scenarios/error-burst",
            new StringContent("""{"durationSeconds": 600, "errorRatio": 1}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);

        var firing = await NotificationAsync(probes, "firing", TimeSpan.FromMinutes(3));
        var alert = firing.GetProperty("alerts").EnumerateArray().First(a => a.GetProperty("labels").GetProperty("alertname").GetString() == "ProbesHighErrorRatio");
        Assert.Equal("warning", alert.GetProperty("labels").GetProperty("severity").GetString());
        Assert.Equal("probes", alert.GetProperty("labels").GetProperty("job").GetString());
        Assert.StartsWith("docs/alerts.md#", alert.GetProperty("annotations").GetProperty("runbook_url").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await probes.DeleteAsync("/scenarios/error-burst", Ct)).StatusCode);
        await NotificationAsync(probes, "resolved", TimeSpan.FromMinutes(3));
    }

    private static async Task<JsonElement> NotificationAsync(HttpClient probes, string status, TimeSpan timeout)
    {
        JsonElement list = default;
        await Wait.UntilAsync($"a '{status}' ProbesHighErrorRatio notification at the Probes webhook", async ct =>
        {
            list = await probes.GetFromJsonAsync<JsonElement>($"/alertmanager/notifications?alertname=ProbesHighErrorRatio&status={status}", ct);
            return list.GetArrayLength() > 0;
        }, timeout, Ct, TimeSpan.FromSeconds(2));
        return list[list.GetArrayLength() - 1];
    }
}
