using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Monitoring.Probes;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Probes;

/// <summary>The Probes service's HTTP API: scenarios, the webhook receiver and the metrics.</summary>
public sealed class ProbesApiTests : IDisposable
{
    private readonly WebApplicationFactory<ProbeMetrics> _factory = ProbesFactory.Create(("Probes:NotificationCapacity", "3"), ("Probes:TrafficIntervalMilliseconds", "20"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // How long an in-process wait may take before the test fails: the service answers within milliseconds on a quiet
    // machine, but the suite runs these beside six graphs starting on two cores, where 10 s was once not enough.
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task An_unknown_scenario_is_a_400_listing_the_known_ones()
    {
        var response = await _factory.CreateClient().PostAsync("/scenarios/meltdown", null, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains("error-burst", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{"durationSeconds": 0}""", "durationSeconds")]
    [InlineData("""{"durationSeconds": 100000}""", "durationSeconds")]
    [InlineData("""{"errorRatio": 1.5}""", "errorRatio")]
    [InlineData("""{"errorRatio": "half"}""", "errorRatio")]
    [InlineData("""{"latencySeconds": 3}""", "latencySeconds")]
    public async Task Bad_parameters_are_a_400_naming_the_field(string body, string field)
    {
        var response = await _factory.CreateClient().PostAsync("/scenarios/error-burst", Json(body), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Malformed_json_is_a_400()
    {
        var response = await _factory.CreateClient().PostAsync("/scenarios/error-burst", Json("{\"errorRatio\": "), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_scenario_runs_shows_in_the_metrics_and_stops_on_delete()
    {
        var client = _factory.CreateClient();

        var started = await client.PostAsync("/scenarios/error-burst", Json("""{"durationSeconds": 60, "errorRatio": 1}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var run = await started.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(1, run.GetProperty("parameters").GetProperty("errorRatio").GetDouble());

        // The exporter caches a scrape briefly (one made before the start may still be served), so wait for the gauge.
        var metrics = "";
        await Wait.UntilAsync("the scenario gauge to show 1", async ct =>
        {
            metrics = await client.GetStringAsync("/metrics", ct);
            return metrics.Contains("probes_scenario_active{otel_scope_name=\"Monitoring.Probes\",scenario=\"error-burst\"} 1", StringComparison.Ordinal);
        }, s_wait, Ct, TimeSpan.FromMilliseconds(100));
        Assert.Contains("probes_heartbeat_timestamp_seconds", metrics);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/scenarios/error-burst", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/scenarios/error-burst", Ct)).StatusCode);
        // Likewise for the drop.
        await Wait.UntilAsync("the scenario gauge to drop to 0", async ct =>
            (await client.GetStringAsync("/metrics", ct)).Contains("scenario=\"error-burst\"} 0", StringComparison.Ordinal), s_wait, Ct, TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Work_answers_500_while_the_error_burst_runs_and_asp_net_core_counts_it_by_route_and_status()
    {
        var client = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/work", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/scenarios/error-burst", Json("""{"errorRatio": 1}"""), Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.InternalServerError, (await client.GetAsync("/work", Ct)).StatusCode);
        // The standard metric every service's alert reads, not one of Probes' own.
        await Wait.UntilAsync("a 500 of /work in http_server_request_duration_seconds", async ct =>
            (await client.GetStringAsync("/metrics", ct)).Split('\n').Any(l => l.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
                && l.Contains("http_response_status_code=\"500\"", StringComparison.Ordinal) && l.Contains("http_route=\"/work\"", StringComparison.Ordinal)),
            s_wait, Ct, TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Work_answers_late_while_the_latency_spike_runs()
    {
        var client = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/scenarios/latency-spike", Json("""{"latencySeconds": 0.5}"""), Ct)).StatusCode);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/work", Ct)).StatusCode);

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.45), $"answered after {clock.Elapsed}");
    }

    [Fact]
    public async Task Status_answers_until_the_endpoint_down_scenario_then_503()
    {
        var client = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/status", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/scenarios/endpoint-down", null, Ct)).StatusCode);

        var down = await client.GetAsync("/status", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health", Ct)).StatusCode);
    }

    [Fact]
    public async Task Status_answers_late_while_the_endpoint_slow_scenario_runs()
    {
        var client = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/scenarios/endpoint-slow", Json("""{"delaySeconds": 0.5}"""), Ct)).StatusCode);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/status", Ct)).StatusCode);

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.45), $"answered after {clock.Elapsed}");
    }

    [Fact]
    public async Task The_webhook_keeps_notifications_and_lists_them_by_alert_name()
    {
        var client = _factory.CreateClient();

        var response = await client.PostAsync("/alertmanager/webhook", Json(Notification("ProbesHighErrorRatio", "firing")), Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var listed = await client.GetFromJsonAsync<JsonElement>("/alertmanager/notifications?alertname=ProbesHighErrorRatio", Ct);
        var notification = Assert.Single(listed.EnumerateArray());
        Assert.Equal("firing", notification.GetProperty("status").GetString());
        Assert.Equal("warning", notification.GetProperty("alerts")[0].GetProperty("labels").GetProperty("severity").GetString());
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/alertmanager/notifications?alertname=Other", Ct)).EnumerateArray());
    }

    [Fact]
    public async Task The_webhook_lists_only_what_arrived_since_a_time()
    {
        var client = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/alertmanager/webhook", Json(Notification("Before", "firing")), Ct)).StatusCode);
        var since = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/alertmanager/webhook", Json(Notification("After", "firing")), Ct)).StatusCode);

        var listed = await client.GetFromJsonAsync<JsonElement>($"/alertmanager/notifications?since={Uri.EscapeDataString(since.ToString("O"))}", Ct);

        var notification = Assert.Single(listed.EnumerateArray());
        Assert.Equal("After", notification.GetProperty("alerts")[0].GetProperty("labels").GetProperty("alertname").GetString());
        Assert.True(notification.GetProperty("receivedAt").GetDateTimeOffset() >= since);
    }

    [Fact]
    public async Task The_notification_store_is_bounded_and_keeps_the_newest()
    {
        var client = _factory.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/alertmanager/webhook", Json(Notification($"Alert{i}", "firing")), Ct)).StatusCode);
        }

        var names = (await client.GetFromJsonAsync<JsonElement>("/alertmanager/notifications", Ct)).EnumerateArray()
            .Select(n => n.GetProperty("alerts")[0].GetProperty("labels").GetProperty("alertname").GetString()).ToList();
        Assert.Equal(["Alert2", "Alert3", "Alert4"], names);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"status": "firing", "receiver": "probes"}""")]
    [InlineData("""{"status": "exploding", "receiver": "probes", "alerts": []}""")]
    [InlineData("""[1, 2, 3]""")]
    public async Task A_malformed_webhook_payload_is_a_400(string body)
    {
        var response = await _factory.CreateClient().PostAsync("/alertmanager/webhook", Json(body), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_oversized_webhook_payload_is_a_413()
    {
        var huge = Notification("Big", "firing").Replace("\"summary\": \"s\"", $"\"summary\": \"{new string('x', 2 * 1024 * 1024)}\"", StringComparison.Ordinal);

        var response = await _factory.CreateClient().PostAsync("/alertmanager/webhook", Json(huge), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty((await _factory.CreateClient().GetFromJsonAsync<JsonElement>("/alertmanager/notifications", Ct)).EnumerateArray());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Notification(string alertname, string status) => $$"""
        {
          "version": "4", "groupKey": "{}:{alertname=\"{{alertname}}\"}", "status": "{{status}}", "receiver": "probes",
          "groupLabels": {"alertname": "{{alertname}}"}, "commonLabels": {"alertname": "{{alertname}}", "severity": "warning"},
          "commonAnnotations": {}, "externalURL": "http://alertmanager:9093",
          "alerts": [{"status": "{{status}}", "labels": {"alertname": "{{alertname}}", "severity": "warning"},
                      "annotations": {"summary": "s"}, "startsAt": "2026-11-25T10:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
                      "generatorURL": "http://prometheus:9090/graph", "fingerprint": "abc"}]
        }
        """;
}
