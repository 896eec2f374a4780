using System.Diagnostics;
using System.Text;

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

    // How often the measurement polls.
    private static readonly TimeSpan s_resolution = TimeSpan.FromMilliseconds(100);

    private static readonly Dictionary<string, string> s_probes = new() { ["job"] = "probes" };

    public sealed record Result(int Trials, double FiringMedian, double FiringP95, double FiringFloor, double FiringFloorWithWindow, double FailingShare,
        double ResolvedMedian, double ResolvedP95, double ResolvedFloor, IReadOnlyList<Stage> FiringStages, IReadOnlyList<Stage> ResolvedStages,
        int TrialsHeldForGroupWait);

    /// <summary>A step on the way to the notification: the median seconds from the fault's start (or end) until it held.</summary>
    public sealed record Stage(string Name, double Median);

    public static async Task<Result> MeasureAsync(int trials, CancellationToken ct)
    {
        // Prometheus, Alertmanager and Probes alone (TestStack.Only: every other component of pins.txt off).
        await using var graph = await Graph.StartAsync("alert-latency", ct,
        [
            "Monitoring:ScrapeInterval=1s", "Monitoring:EvaluationInterval=1s", "Monitoring:MaxAlertFor=2s",
            "Monitoring:MaxGroupInterval=1s", "Monitoring:AlertResendDelay=1s", "Monitoring:SyntheticSeries=Never", .. TestStack.Only("alertmanager"),
        ]);
        var probes = graph.Client("probes");
        var prometheus = new PrometheusApi(graph.Client("prometheus"));
        var alertmanager = new AlertmanagerApi(graph.Client("alertmanager"));
        // Until Probes' traffic fills the rule's window, as it would on a running stack.
        await Wait.UntilAsync("Probes' traffic filling the rule's 1m window", async c => await prometheus.CountAsync(
            "count_over_time(http_server_request_duration_seconds_count{job=\"probes\", http_route=\"/work\", http_response_status_code=\"200\"}[1m]) >= 55", c) > 0,
            TimeSpan.FromMinutes(3), ct, s_resolution);

        var firing = new List<double>();
        var resolved = new List<double>();
        var firingStages = new List<double[]>();
        var failingShare = new List<double>();
        var resolvedStages = new List<double[]>();
        // When the trial before's resolution was delivered, which empties its group (none before the first).
        var resolvedAt = Stopwatch.StartNew();
        var heldForGroupWait = 0;
        var maintenance = TimeSpan.Zero;
        for (var trial = 0; trial < trials; trial++)
        {
            // Each trial starts as a user's first alert does: nothing active, and no aggregation group left in
            // Alertmanager from the trial before (a group that still exists sends at its next group_interval, without
            // the group_wait). The resolved notification empties the group, and Alertmanager drops empty groups at a
            // maintenance tick every 30 s (dispatch/dispatch.go, run and doMaintenance, v0.28.1): so a trial starts
            // once 30 s have passed since the resolution before it (other alerts' groups come and go, so the group
            // count cannot say it).
            await Wait.UntilAsync("no ServiceHighErrorRatio, and Alertmanager's emptied group dropped", async c => resolvedAt.Elapsed > maintenance && !await IsActiveAsync(prometheus, c),
                TimeSpan.FromMinutes(3), ct, s_resolution);

            // The steps in between, each polled at the measurement's resolution: they name where the time goes.
            var errorsBefore = await prometheus.SumAsync(ErrorCount, ct);
            Func<Task<bool>>[] towardsFiring =
            [
                async () => await prometheus.SumAsync(ErrorCount, ct) > errorsBefore,
                async () => await IsActiveAsync(prometheus, ct),
                async () => await prometheus.CountAsync("ALERTS{alertname=\"ServiceHighErrorRatio\", job=\"probes\", alertstate=\"firing\"}", ct) > 0,
                async () => await InAlertmanagerAsync(alertmanager, ct),
            ];
            var clock = Stopwatch.StartNew();
            var since = DateTimeOffset.UtcNow;
            (await probes.PostAsync("/scenarios/error-burst", new StringContent("""{"durationSeconds": 600, "errorRatio": 1}""", Encoding.UTF8, "application/json"), ct)).EnsureSuccessStatusCode();
            firingStages.Add(await StagesAsync(clock, towardsFiring, () => ArrivedAsync(probes, "firing", since, ct), ct));
            firing.Add(clock.Elapsed.TotalSeconds);
            // Held by Alertmanager for (about) its group_wait of 1 s, or sent at once.
            heldForGroupWait += firing[^1] - firingStages[^1][^1] >= 0.5 ? 1 : 0;
            failingShare.Add(await prometheus.SumAsync(FailingShare, ct));

            Func<Task<bool>>[] towardsResolved =
            [
                async () => !await IsActiveAsync(prometheus, ct),
                async () => !await InAlertmanagerAsync(alertmanager, ct),
            ];
            clock.Restart();
            since = DateTimeOffset.UtcNow;
            (await probes.DeleteAsync("/scenarios/error-burst", ct)).EnsureSuccessStatusCode();
            resolvedStages.Add(await StagesAsync(clock, towardsResolved, () => ArrivedAsync(probes, "resolved", since, ct), ct));
            resolved.Add(clock.Elapsed.TotalSeconds);
            resolvedAt.Restart();
            maintenance = TimeSpan.FromSeconds(31);
            Console.WriteLine($"  trial {trial + 1}: firing {firing[^1]:0.0} s ({string.Join(", ", firingStages[^1].Select(t => $"{t:0.0}"))}), resolved {resolved[^1]:0.0} s ({string.Join(", ", resolvedStages[^1].Select(t => $"{t:0.0}"))})");
        }

        // The floor: a scrape to see the errors, an evaluation, the 'for', the group wait. The rule adds the time its
        // ratio over the 1m window needs to cross 5%: at a share f of the requests failing, window × threshold / f
        // seconds of errors (3 s when every request fails); it falls back under 5% when fewer than that many seconds
        // of errors remain in the window, plus an evaluation and a group interval for the resolution.
        var floor = Scrape + Evaluation + For + GroupWait;
        var share = Percentile(failingShare, 0.5);
        return new(trials, Percentile(firing, 0.5), Percentile(firing, 0.95), floor, floor + (Window * Threshold / share), share,
            Percentile(resolved, 0.5), Percentile(resolved, 0.95), Window - (Window * Threshold / share) + Evaluation + GroupWait,
            Medians(firingStages, "the errors scraped by Prometheus", "the rule true (alert pending)", "the alert firing in Prometheus", "the alert in Alertmanager"),
            Medians(resolvedStages, "the rule false (alert gone from Prometheus)", "the alert resolved in Alertmanager"), heldForGroupWait);
    }

    // The share of Probes' requests failing under the fault (its scrapes and health checks keep succeeding).
    private const string FailingShare =
        "sum(rate(http_server_request_duration_seconds_count{job=\"probes\", http_response_status_code=~\"5..\"}[5s])) / sum(rate(http_server_request_duration_seconds_count{job=\"probes\"}[5s]))";

    private const string ErrorCount =
        "sum(http_server_request_duration_seconds_count{job=\"probes\", http_route=\"/work\", http_response_status_code=\"500\"}) or vector(0)";

    private static List<Stage> Medians(List<double[]> trials, params string[] names) =>
        [.. names.Select((name, i) => new Stage(name, Percentile([.. trials.Select(t => t[i])], 0.5)))];

    /// <summary>Polls the steps in order every 100 ms, then <paramref name="done"/>, noting when each step first held.</summary>
    private static async Task<double[]> StagesAsync(Stopwatch clock, Func<Task<bool>>[] steps, Func<Task<bool>> done, CancellationToken ct)
    {
        var reached = new double[steps.Length];
        var next = 0;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromMinutes(3));
        while (true)
        {
            while (next < steps.Length && await steps[next]())
            {
                reached[next++] = clock.Elapsed.TotalSeconds;
            }

            // The webhook is read only once every step has held: reading it is a request to Probes, which its error
            // ratio counts, and polling it all along would double the requests the ratio is taken over.
            if (next == steps.Length && await done())
            {
                return reached;
            }

            await Task.Delay(s_resolution, limit.Token);
        }
    }

    private static async Task<bool> InAlertmanagerAsync(AlertmanagerApi alertmanager, CancellationToken ct) =>
        (await alertmanager.AlertsAsync(ct, activeOnly: true, "alertname=\"ServiceHighErrorRatio\"", "job=\"probes\"")).Count > 0;

    private static async Task<bool> IsActiveAsync(PrometheusApi prometheus, CancellationToken ct) =>
        await prometheus.CountAsync("ALERTS{alertname=\"ServiceHighErrorRatio\", job=\"probes\"}", ct) > 0;

    private static async Task<bool> ArrivedAsync(HttpClient probes, string status, DateTimeOffset since, CancellationToken ct) =>
        await Webhook.FindAsync(probes, "ServiceHighErrorRatio", status, since, ct, s_probes) is not null;

    internal static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = p * (sorted.Count - 1);
        var (low, high) = ((int)Math.Floor(rank), (int)Math.Ceiling(rank));
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
