using Monitoring.Tests.Config;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>
/// A batch job on the Pushgateway as a user's would be: it pushes at the end of each successful run, Prometheus scrapes
/// the push keeping the job's own label (honor_labels), the Batch jobs dashboard shows it, and when the pushes stop
/// BatchJobOverdue arrives at the webhook; the next success resolves it.
/// </summary>
public class PushgatewayEndToEndTests(StackFixture stack) : IClassFixture<SharedGraphUse>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_batch_job_that_stops_succeeding_is_alerted_and_its_next_success_resolves_it()
    {
        await stack.ReadyAsync();
        var pushgateway = stack.Client("pushgateway");
        var probes = stack.Client("probes");
        var prometheus = new PrometheusApi(stack.Client("prometheus"));
        // A job of this run only, which runs every 3 s: overdue 6 s after its last success.
        var job = $"batch-{Guid.NewGuid():N}"[..14];
        var labels = new Dictionary<string, string> { ["job"] = job };
        async Task SucceedAsync(CancellationToken ct)
        {
            using var body = new StringContent("# TYPE batch_job_expected_interval_seconds gauge\nbatch_job_expected_interval_seconds 3\n");
            (await pushgateway.PutAsync($"/metrics/job/{job}", body, ct)).EnsureSuccessStatusCode();
        }

        try
        {
            // Succeeding every second, until Prometheus has the push under the job's own name and every panel of the
            // dashboard that a success feeds shows it.
            var dashboard = DashboardFiles.Queries(DashboardFiles.Load(Repo.Path("provisioning", "grafana", "dashboards", "batch-jobs.json")), new() { ["job"] = job })
                .Where(q => q.Panel != "Last failed push").ToList();
            var empty = dashboard;
            await Wait.UntilAsync($"Prometheus to scrape {job}'s push, and the dashboard to show it", async ct =>
            {
                await SucceedAsync(ct);
                var pushed = await prometheus.QueryAsync($"push_time_seconds{{job=\"{job}\", aspire_resource=\"pushgateway\"}}", ct);
                empty = await prometheus.WithoutDataAsync(empty, ct);
                return pushed.GetArrayLength() == 1 && empty.Count == 0;
            }, TimeSpan.FromSeconds(60), Ct, TimeSpan.FromSeconds(1));

            // The fault: the job stops succeeding.
            var stopped = DateTimeOffset.UtcNow;
            var overdue = await Webhook.AlertAsync(probes, "BatchJobOverdue", "firing", stopped, Ct, labels);
            Assert.Equal("warning", overdue.Label("severity"));

            var succeeded = DateTimeOffset.UtcNow;
            await SucceedAsync(Ct);
            await Webhook.AlertAsync(probes, "BatchJobOverdue", "resolved", succeeded, Ct, labels);
        }
        finally
        {
            // A job gone for good is deleted from the Pushgateway (docs/alerts.md), else it stays overdue.
            await pushgateway.DeleteAsync($"/metrics/job/{job}", CancellationToken.None);
        }
    }
}
