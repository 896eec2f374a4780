using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.AppHost;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>
/// The whole graph with the official images: every container healthy, every target up, Grafana serving its
/// provisioned datasource and dashboards, and an Airflow DAG failure and a Kafka consumer-group lag alerted to the webhook. It runs where every
/// official image is already present (or may be pulled: MONITORING_PULL_OFFICIAL_IMAGES=1, on a machine with
/// registry access); elsewhere it is skipped, naming the missing images. This machine has no registry.
/// </summary>
public class FullGraphEndToEndTests
{
    /// <summary>Every official image eng/images/pins.txt pins, and the base of Aspire's container tunnel.</summary>
    private static readonly string[] s_officialImages = [.. PinnedImages.All.Select(p => p.OfficialReference), ContainerHost.TunnelBaseImage];

    private static readonly DateTimeOffset s_started = DateTimeOffset.UtcNow;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_whole_graph_runs_with_the_official_images()
    {
        var pull = Environment.GetEnvironmentVariable("MONITORING_PULL_OFFICIAL_IMAGES") == "1";
        var missing = s_officialImages.Where(i => ContainerHost.Run(["image", "inspect", "--format", "{{.Id}}", i]).ExitCode != 0).ToList();
        Assert.SkipWhen(missing.Count > 0 && !pull,
            $"Official images not present here (no registry to pull them from): {string.Join(", ", missing)}. " +
            "Set MONITORING_PULL_OFFICIAL_IMAGES=1 where they can be pulled.");

        using var volumes = new TestVolumes();
        await using var app = await TestStack.StartAsync(volumes, Ct, "Monitoring:ImageSource=Official");
        var prometheus = new PrometheusApi(app.CreateHttpClient("prometheus", "http"));
        var probes = app.CreateHttpClient("probes", "http");

        // The Kafka workload's consumer group stops reading: its lag grows past the threshold (5 messages/s, 1000 in ~200 s, then 5 min).
        (await probes.PostAsync("/scenarios/kafka-lag", new StringContent("""{"durationSeconds": 1200}""", Encoding.UTF8, "application/json"), Ct)).EnsureSuccessStatusCode();

        string[] jobs = ["airflow", "alertmanager", "blackbox", "kafka", "node", "postgres", "probes", "prometheus"];
        await Wait.UntilAsync("every job's targets up", async ct =>
        {
            var targets = await prometheus.TargetsAsync(ct);
            return jobs.All(j => targets.Any(t => t.Job == j)) && targets.All(t => t.Health == "up");
        }, TimeSpan.FromMinutes(3), Ct);

        var grafana = app.CreateHttpClient("grafana", "http");
        var password = await app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<GrafanaResource>().Single().AdminPassword.GetValueAsync(Ct);
        grafana.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{password}")));
        var datasource = await grafana.GetFromJsonAsync<JsonElement>("/api/datasources/uid/prometheus/health", Ct);
        Assert.Equal("OK", datasource.GetProperty("status").GetString());
        var dashboards = await grafana.GetFromJsonAsync<JsonElement>("/api/search?type=dash-db", Ct);
        Assert.True(dashboards.GetArrayLength() > 0);

        var airflow = app.CreateHttpClient("airflow", "http");
        var airflowPassword = await app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<ParameterResource>().Single(p => p.Name == "airflow-admin-password").GetValueAsync(Ct);
        var token = await airflow.PostAsJsonAsync("/auth/token", new { username = "admin", password = airflowPassword }, Ct);
        airflow.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await token.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString());
        await airflow.PatchAsJsonAsync("/api/v2/dags/monitoring_fail_on_demand", new { is_paused = false }, Ct);
        (await airflow.PostAsJsonAsync("/api/v2/dags/monitoring_fail_on_demand/dagRuns", new { logical_date = (string?)null }, Ct)).EnsureSuccessStatusCode();
        await Wait.UntilAsync("an Airflow task failure in Prometheus", async ct =>
            (await prometheus.QueryAsync("airflow_ti_failures_total > 0", ct)).GetArrayLength() > 0, TimeSpan.FromMinutes(3), Ct);

        await NotificationAsync(probes, "AirflowDagRunFailures", TimeSpan.FromMinutes(5));
        await NotificationAsync(probes, "KafkaConsumerGroupLag", TimeSpan.FromMinutes(12));
    }

    private static Task NotificationAsync(HttpClient probes, string alertname, TimeSpan timeout) =>
        Webhook.AlertAsync(probes, alertname, "firing", s_started, Ct, timeout: timeout);
}
