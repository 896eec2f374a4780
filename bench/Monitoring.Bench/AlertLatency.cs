using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Monitoring.Bench;

/// <summary>
/// From injecting a fault to its notification arriving at the webhook, and from ending it to the resolution, against
/// the floor the timers set: Probes' <c>error-burst</c> (every <c>GET /work</c> answers 500) and ServiceHighErrorRatio.
/// </summary>
internal static class AlertLatency
{
    // Test-scale timers, as the issue defines them: scrape 1 s, evaluation 1 s, for 2 s, group_wait 1 s.
    private const double Scrape = 1, Evaluation = 1, For = 2, GroupWait = 1;

    // The rule: errors over all requests, rate()s over 1m, above 5%.
    private const double Window = 60, Threshold = 0.05;

    private static readonly Dictionary<string, string> s_probes = new() { ["job"] = "probes" };

    public sealed record Result(int Trials, double FiringMedian, double FiringP95, double FiringFloor, double FiringFloorWithWindow,
        double ResolvedMedian, double ResolvedP95, double ResolvedFloor);

    public static async Task<Result> MeasureAsync(int trials, CancellationToken ct)
    {
        await using var graph = await Graph.StartAsync(ct,
            "Monitoring:ScrapeInterval=1s", "Monitoring:EvaluationInterval=1s", "Monitoring:MaxAlertFor=2s",
            "Monitoring:MaxGroupInterval=1s", "Monitoring:AlertResendDelay=1s", "Monitoring:SyntheticSeries=Never",
            "Monitoring:Components:node-exporter=false", "Monitoring:Components:postgres=false", "Monitoring:Components:blackbox-exporter=false");
        var probes = graph.Client("probes");
        var prometheus = graph.Client("prometheus");
        // Until Probes' traffic fills the rule's window, as it would on a running stack.
        await UntilAsync(async () => await QueryCountAsync(prometheus,
            "count_over_time(http_server_request_duration_seconds_count{job=\"probes\", http_route=\"/work\", http_response_status_code=\"200\"}[1m]) >= 55", ct) > 0,
            TimeSpan.FromMinutes(3), ct);

        var firing = new List<double>();
        var resolved = new List<double>();
        for (var trial = 0; trial < trials; trial++)
        {
            await UntilAsync(async () => !await IsActiveAsync(prometheus, ct), TimeSpan.FromMinutes(3), ct);

            var clock = Stopwatch.StartNew();
            var since = DateTimeOffset.UtcNow;
            (await probes.PostAsync("/scenarios/error-burst", new StringContent("""{"durationSeconds": 600, "errorRatio": 1}""", Encoding.UTF8, "application/json"), ct)).EnsureSuccessStatusCode();
            await UntilAsync(() => ArrivedAsync(probes, "firing", since, ct), TimeSpan.FromMinutes(3), ct);
            firing.Add(clock.Elapsed.TotalSeconds);

            clock.Restart();
            since = DateTimeOffset.UtcNow;
            (await probes.DeleteAsync("/scenarios/error-burst", ct)).EnsureSuccessStatusCode();
            await UntilAsync(() => ArrivedAsync(probes, "resolved", since, ct), TimeSpan.FromMinutes(3), ct);
            resolved.Add(clock.Elapsed.TotalSeconds);
            Console.WriteLine($"  trial {trial + 1}: firing {firing[^1]:0.0} s, resolved {resolved[^1]:0.0} s");
        }

        // The floor: a scrape to see the errors, an evaluation, the 'for', the group wait. The rule adds the time its
        // ratio over a 1m window needs to cross 5% at 100% errors (3 s), and to fall back under it (57 s), plus an
        // evaluation and a group interval for the resolution.
        var floor = Scrape + Evaluation + For + GroupWait;
        return new(trials, Percentile(firing, 0.5), Percentile(firing, 0.95), floor, floor + (Window * Threshold),
            Percentile(resolved, 0.5), Percentile(resolved, 0.95), (Window * (1 - Threshold)) + Evaluation + GroupWait);
    }

    private static async Task<bool> IsActiveAsync(HttpClient prometheus, CancellationToken ct) =>
        await QueryCountAsync(prometheus, "ALERTS{alertname=\"ServiceHighErrorRatio\", job=\"probes\"}", ct) > 0;

    private static async Task<int> QueryCountAsync(HttpClient prometheus, string promql, CancellationToken ct)
    {
        var body = await prometheus.GetFromJsonAsync<JsonElement>("/api/v1/query?query=" + Uri.EscapeDataString(promql), ct);
        return body.GetProperty("data").GetProperty("result").GetArrayLength();
    }

    private static async Task<bool> ArrivedAsync(HttpClient probes, string status, DateTimeOffset since, CancellationToken ct)
    {
        var list = await probes.GetFromJsonAsync<JsonElement>(
            $"/alertmanager/notifications?alertname=ServiceHighErrorRatio&since={Uri.EscapeDataString(since.ToString("O"))}", ct);
        return list.EnumerateArray().SelectMany(n => n.GetProperty("alerts").EnumerateArray()).Any(a =>
            a.GetProperty("status").GetString() == status && a.GetProperty("labels").TryGetProperty("job", out var job) && job.GetString() == s_probes["job"]);
    }

    /// <summary>Polls every 100 ms (the measurement's resolution) until the condition holds.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), limit.Token);
        }
    }

    internal static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = p * (sorted.Count - 1);
        var (low, high) = ((int)Math.Floor(rank), (int)Math.Ceiling(rank));
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
