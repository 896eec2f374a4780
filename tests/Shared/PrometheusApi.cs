using System.Net.Http.Json;
using System.Text.Json;

namespace Monitoring.Tests.Infrastructure;

/// <summary>Reads Prometheus' HTTP API.</summary>
internal sealed class PrometheusApi(HttpClient http)
{
    /// <summary>The active targets: job, health and last error.</summary>
    public async Task<IReadOnlyList<(string Job, string Health, string Error)>> TargetsAsync(CancellationToken ct)
    {
        var body = await http.GetFromJsonAsync<JsonElement>("/api/v1/targets?state=active", ct);
        return [.. body.GetProperty("data").GetProperty("activeTargets").EnumerateArray().Select(t => (
            t.GetProperty("labels").GetProperty("job").GetString()!,
            t.GetProperty("health").GetString()!,
            t.GetProperty("lastError").GetString() ?? ""))];
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
