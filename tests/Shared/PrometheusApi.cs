using System.Net.Http.Json;
using System.Text.Json;

namespace Monitoring.Tests.Infrastructure;

/// <summary>Reads Prometheus' HTTP API.</summary>
internal sealed class PrometheusApi(HttpClient http)
{
    /// <summary>The active targets: job, instance, health and last error.</summary>
    public async Task<IReadOnlyList<PrometheusTarget>> TargetsAsync(CancellationToken ct)
    {
        var body = await http.GetFromJsonAsync<JsonElement>("/api/v1/targets?state=active", ct);
        return [.. body.GetProperty("data").GetProperty("activeTargets").EnumerateArray().Select(t => new PrometheusTarget(
            t.GetProperty("labels").GetProperty("job").GetString()!,
            t.GetProperty("labels").TryGetProperty("instance", out var instance) ? instance.GetString()! : "",
            t.GetProperty("health").GetString()!,
            t.GetProperty("lastError").GetString() ?? ""))];
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds of the active targets, failing with each target that is not up
    /// and its last error (a scrape's timeout, a refused connection, a body Prometheus could not parse). A target
    /// counts as <see cref="PrometheusTarget.Answered"/> when one of its scrapes of the last 30 s succeeded
    /// (<c>max_over_time(up[30s])</c>), not only its last: the test graphs scrape every 2 s, so their scrape timeout
    /// is 2 s, which a .NET service's answer through the container tunnel can exceed now and then while a loaded
    /// machine starts graphs (seen here at 2.0 s, between scrapes in time). The checked-in timeout is 10 s.
    /// </summary>
    /// <param name="what">What is awaited, for the failure message.</param>
    /// <param name="condition">Whether the targets are as awaited.</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <param name="since">When given, only scrapes after it count (a restarted Prometheus holds its earlier samples).</param>
    /// <returns>The targets when the condition held.</returns>
    public async Task<IReadOnlyList<PrometheusTarget>> WaitTargetsAsync(
        string what, Func<IReadOnlyList<PrometheusTarget>, bool> condition, TimeSpan timeout, CancellationToken ct, DateTimeOffset? since = null)
    {
        IReadOnlyList<PrometheusTarget> targets = [];
        try
        {
            await Wait.UntilAsync(what, async c =>
            {
                // The range ends at the query's time, so that it starts no earlier than since.
                var now = DateTimeOffset.UtcNow;
                var back = since is { } s ? Math.Clamp((long)(now - s).TotalMilliseconds, 1, 30_000) : 30_000;
                var answered = (await QueryAsync($"max_over_time(up[{back}ms]) == 1", c, now)).EnumerateArray()
                    .Select(r => (Label(r, "job"), Label(r, "instance"))).ToHashSet();
                targets = [.. (await TargetsAsync(c)).Select(t => t with { Answered = t.Health == "up" || answered.Contains((t.Job, t.Instance)) })];
                return condition(targets);
            }, timeout, ct);
            return targets;
        }
        catch (TimeoutException e)
        {
            var notUp = targets.Where(t => t.Health != "up").Select(t =>
                $"{t.Job} {t.Instance} {t.Health}{(t.Answered ? ", answered lately" : "")}{(t.Error.Length == 0 ? "" : $" ({t.Error})")}");
            throw new TimeoutException($"{e.Message} Jobs: {string.Join(", ", targets.Select(t => t.Job).Distinct().Order(StringComparer.Ordinal))}. Not up: {string.Join("; ", notUp.DefaultIfEmpty("none"))}.", e);
        }

        static string Label(JsonElement series, string name) =>
            series.GetProperty("metric").TryGetProperty(name, out var value) ? value.GetString()! : "";
    }

    /// <summary>The URLs Prometheus scrapes for a job's active targets.</summary>
    public async Task<IReadOnlyList<Uri>> ScrapeUrlsAsync(string job, CancellationToken ct)
    {
        var body = await http.GetFromJsonAsync<JsonElement>("/api/v1/targets?state=active", ct);
        return [.. body.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .Where(t => t.GetProperty("labels").GetProperty("job").GetString() == job)
            .Select(t => new Uri(t.GetProperty("scrapeUrl").GetString()!))];
    }

    /// <summary>
    /// Waits until Prometheus holds an alert - picked by its name and a job - as firing (its <c>for</c> has passed; it
    /// is sent to Alertmanager, and sent again every resend delay while it fires), with the alerts it holds in the
    /// failure's message.
    /// </summary>
    public async Task WaitFiringAsync(string alertname, string job, TimeSpan timeout, CancellationToken ct)
    {
        var held = "nothing";
        try
        {
            await Wait.UntilAsync($"{alertname}{{job=\"{job}\"}} firing in Prometheus", async c =>
            {
                var alerts = (await http.GetFromJsonAsync<JsonElement>("/api/v1/alerts", c)).GetProperty("data").GetProperty("alerts")
                    .EnumerateArray().Select(a => (
                        Name: a.GetProperty("labels").GetProperty("alertname").GetString(),
                        Job: a.GetProperty("labels").TryGetProperty("job", out var j) ? j.GetString() : null,
                        State: a.GetProperty("state").GetString())).ToList();
                held = alerts.Count == 0 ? "nothing" : string.Join(", ", alerts.Select(a => $"{a.Name}{{job=\"{a.Job}\"}} {a.State}"));
                return alerts.Any(a => a.Name == alertname && a.Job == job && a.State == "firing");
            }, timeout, ct, TimeSpan.FromSeconds(1));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Prometheus held: {held}.", e);
        }
    }

    /// <summary>A command-line flag's value.</summary>
    public async Task<string?> FlagAsync(string name, CancellationToken ct)
    {
        var body = await http.GetFromJsonAsync<JsonElement>("/api/v1/status/flags", ct);
        return body.GetProperty("data").TryGetProperty(name, out var value) ? value.GetString() : null;
    }

    /// <summary>The queries (a dashboard's panels') that return no series now.</summary>
    public async Task<List<(string Panel, string Expr)>> WithoutDataAsync(IEnumerable<(string Panel, string Expr)> queries, CancellationToken ct)
    {
        var empty = new List<(string Panel, string Expr)>();
        foreach (var query in queries)
        {
            if ((await QueryAsync(query.Expr, ct)).GetArrayLength() == 0)
            {
                empty.Add(query);
            }
        }

        return empty;
    }

    /// <summary>How many series an instant query returns now.</summary>
    public async Task<int> CountAsync(string promql, CancellationToken ct) => (await QueryAsync(promql, ct)).GetArrayLength();

    /// <summary>The sum of the values an instant query returns now (0 when it returns no series).</summary>
    public async Task<double> SumAsync(string promql, CancellationToken ct) =>
        (await QueryAsync(promql, ct)).EnumerateArray().Sum(r => double.Parse(r.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The result of an instant query, now or at a given time.</summary>
    public async Task<JsonElement> QueryAsync(string promql, CancellationToken ct, DateTimeOffset? at = null) =>
        (await QueryWithAnnotationsAsync(promql, ct, at)).Result;

    /// <summary>
    /// The result of an instant query and the annotations Prometheus 3 returns with it: <c>warnings</c> and
    /// <c>infos</c> (such as "metric might not be a counter" for <c>rate()</c> over a name without <c>_total</c>).
    /// </summary>
    public async Task<(JsonElement Result, IReadOnlyList<string> Annotations)> QueryWithAnnotationsAsync(string promql, CancellationToken ct, DateTimeOffset? at = null)
    {
        var time = at is { } t ? $"&time={t.ToUnixTimeMilliseconds() / 1000.0:0.000}" : "";
        var body = await http.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(promql)}{time}", ct);
        IEnumerable<string> Strings(string name) =>
            body.TryGetProperty(name, out var list) ? list.EnumerateArray().Select(e => $"{name[..^1]}: {e.GetString()}") : [];
        return (body.GetProperty("data").GetProperty("result"), [.. Strings("warnings"), .. Strings("infos")]);
    }
}

/// <summary>A target Prometheus scrapes, as its targets API lists it.</summary>
/// <param name="Job">Its <c>job</c> label.</param>
/// <param name="Instance">Its <c>instance</c> label.</param>
/// <param name="Health"><c>up</c>, <c>down</c> or <c>unknown</c> (not scraped yet).</param>
/// <param name="Error">The last scrape's error, empty after a scrape that succeeded.</param>
internal sealed record PrometheusTarget(string Job, string Instance, string Health, string Error)
{
    /// <summary>Whether a recent scrape succeeded (<see cref="PrometheusApi.WaitTargetsAsync"/>); its last one, elsewhere.</summary>
    public bool Answered { get; init; } = Health == "up";
}
