using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Monitoring.Tests.Config;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// Grafana's dashboards as a user opening them sees them, asked of Grafana 12.2.1 itself (grafana/grafana at v12.2.1,
/// read for this; Grafana cannot run where this was written, so the test that uses it runs only where its image can be
/// had):
/// <list type="bullet">
/// <item>Provisioned dashboards are listed by <c>GET /api/search?type=dash-db</c> once provisioning (asynchronous) has
/// run, and served as Grafana holds them by <c>GET /api/dashboards/uid/&lt;uid&gt;</c>.</item>
/// <item>The frontend resolves a <c>label_values(selector, label)</c> variable with
/// <c>GET /api/datasources/uid/&lt;uid&gt;/resources/api/v1/label/&lt;label&gt;/values?match[]=…</c> (@grafana/prometheus
/// resource_clients), and a multi-value variable with no current value and <c>includeAll</c> becomes All, substituted
/// as its <c>allValue</c> (@grafana/scenes MultiValueVariable). Dashboard variables are substituted by the frontend;
/// <c>$__rate_interval</c> and the other <c>$__</c> ones by the backend (pkg/promlib/models/query.go,
/// InterpolateVariables).</item>
/// <item>Each panel's visible targets go in one <c>POST /api/ds/query</c> (@grafana/runtime DataSourceWithBackend);
/// the answer has <c>results.&lt;refId&gt;</c> with <c>frames</c> or an <c>error</c>, with HTTP 400 and the body
/// still there when a query failed (pkg/api/metrics.go). A panel shows "No data" when no frame has a value
/// (PanelDataErrorView), and a stat panel's <c>lastNotNull</c> skips nulls, as which NaN and infinities are sent.</item>
/// </list>
/// </summary>
internal static partial class GrafanaDashboards
{
    private const string DatasourceUid = "prometheus";

    /// <summary>
    /// Requires Grafana up, its Prometheus datasource healthy, every dashboard of provisioning/grafana/dashboards
    /// provisioned, and, within <paramref name="timeout"/>, every panel's every query answered with at least one value.
    /// </summary>
    public static async Task RequireEveryPanelAnsweredAsync(HttpClient grafana, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await Wait.UntilAsync("Grafana's database ok", async ct =>
        {
            using var response = await grafana.GetAsync("/api/health", ct);
            return response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("database").GetString() == "ok";
        }, TimeSpan.FromMinutes(2), cancellationToken);
        var health = await grafana.GetFromJsonAsync<JsonElement>($"/api/datasources/uid/{DatasourceUid}/health", cancellationToken);
        Assert.True(health.GetProperty("status").GetString() == "OK", $"The Prometheus datasource is not healthy: {health}");

        var uids = DashboardFiles.All().Select(f => DashboardFiles.Load(f).GetProperty("uid").GetString()!).ToList();
        await Wait.UntilAsync("every dashboard provisioned", async ct =>
        {
            var found = (await grafana.GetFromJsonAsync<JsonElement>("/api/search?type=dash-db&limit=5000", ct)).EnumerateArray()
                .Select(d => d.GetProperty("uid").GetString()).ToHashSet();
            return uids.All(found.Contains);
        }, TimeSpan.FromMinutes(2), cancellationToken);

        // The last complete look at every dashboard, for the message: a timeout may cut one short.
        IReadOnlyList<string> unanswered = [];
        try
        {
            await Wait.UntilAsync("data in every panel of every dashboard", async ct =>
            {
                var found = new List<string>();
                foreach (var uid in uids)
                {
                    found.AddRange(await UnansweredPanelsAsync(grafana, uid, ct));
                }

                unanswered = found;
                return found.Count == 0;
            }, timeout, cancellationToken, TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Panels a user sees as 'No data' or an error:{Environment.NewLine}  {string.Join($"{Environment.NewLine}  ", unanswered)}", e);
        }
    }

    /// <summary>Each panel of the dashboard whose queries are not all answered with data, with why.</summary>
    private static async Task<List<string>> UnansweredPanelsAsync(HttpClient grafana, string uid, CancellationToken ct)
    {
        var dashboard = (await grafana.GetFromJsonAsync<JsonElement>($"/api/dashboards/uid/{uid}", ct)).GetProperty("dashboard");
        var to = DateTimeOffset.UtcNow;
        var from = to.AddHours(-1);
        var problems = new List<string>();
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in dashboard.TryGetProperty("templating", out var templating) ? templating.GetProperty("list").EnumerateArray() : default)
        {
            var name = variable.GetProperty("name").GetString()!;
            var (value, problem) = await ResolveAsync(grafana, variable, variables, from, to, ct);
            variables[name] = value;
            if (problem is not null)
            {
                problems.Add($"{uid}: variable ${name}: {problem}");
            }
        }

        foreach (var panel in Panels(dashboard))
        {
            var title = panel.GetProperty("title").GetString();
            var queries = new JsonArray();
            foreach (var target in panel.TryGetProperty("targets", out var targets) ? targets.EnumerateArray() : default)
            {
                if ((target.TryGetProperty("hide", out var hide) && hide.ValueKind == JsonValueKind.True)
                    || !target.TryGetProperty("expr", out var expr) || string.IsNullOrWhiteSpace(expr.GetString()))
                {
                    continue;
                }

                var (text, left) = Interpolate(expr.GetString()!, variables);
                if (left is not null)
                {
                    problems.Add($"{uid}: '{title}': {expr.GetString()}: ${left} is no variable of the dashboard");
                    continue;
                }

                queries.Add(new JsonObject
                {
                    ["refId"] = target.GetProperty("refId").GetString(),
                    ["expr"] = text,
                    ["range"] = true,
                    ["datasource"] = new JsonObject { ["type"] = "prometheus", ["uid"] = DatasourceUid },
                    // The frontend's interval for a 1 h range on a panel a thousand pixels wide: the datasource's 15 s.
                    ["intervalMs"] = 15000,
                    ["maxDataPoints"] = 1000,
                });
            }

            if (queries.Count == 0)
            {
                problems.Add($"{uid}: '{title}': no query (a user sees 'No data')");
                continue;
            }

            var body = new JsonObject
            {
                ["from"] = from.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                ["to"] = to.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                ["queries"] = queries,
            };
            using var response = await grafana.PostAsJsonAsync("/api/ds/query?ds_type=prometheus", body, ct);
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            foreach (var query in queries)
            {
                var refId = query!["refId"]!.GetValue<string>();
                var why = Unanswered(answer, refId);
                if (why is not null)
                {
                    problems.Add($"{uid}: '{title}' ({refId}: {query["expr"]}): {why}");
                }
            }
        }

        return problems;
    }

    /// <summary>A variable's value as the frontend chooses it, and what a user would see wrong with it (an empty list).</summary>
    private static async Task<(string Value, string? Problem)> ResolveAsync(
        HttpClient grafana, JsonElement variable, Dictionary<string, string> resolved, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var definition = variable.TryGetProperty("query", out var query)
            ? query.ValueKind == JsonValueKind.Object ? query.GetProperty("query").GetString() : query.GetString()
            : null;
        var match = LabelValues().Match(definition ?? "");
        string[] options = [];
        string? problem = null;
        if (match.Success)
        {
            var (selector, _) = Interpolate(match.Groups["selector"].Value, resolved);
            var label = match.Groups["label"].Value;
            var url = $"/api/datasources/uid/{DatasourceUid}/resources/api/v1/label/{Uri.EscapeDataString(label)}/values" +
                $"?start={from.ToUnixTimeSeconds()}&end={to.ToUnixTimeSeconds()}&limit=40000" +
                (selector.Length > 0 ? $"&match[]={Uri.EscapeDataString(selector)}" : "");
            options = [.. (await grafana.GetFromJsonAsync<JsonElement>(url, ct)).GetProperty("data").EnumerateArray().Select(v => v.GetString()!)];
            problem = options.Length == 0 ? $"its list ({definition}) is empty" : null;
        }

        if (variable.TryGetProperty("current", out var current) && current.TryGetProperty("value", out var value)
            && value.ValueKind == JsonValueKind.String && options.Contains(value.GetString()))
        {
            return (Regex.Escape(value.GetString()!), problem);
        }

        var includeAll = variable.TryGetProperty("includeAll", out var all) && all.ValueKind == JsonValueKind.True;
        if (includeAll && variable.TryGetProperty("allValue", out var allValue) && allValue.ValueKind == JsonValueKind.String && allValue.GetString()!.Length > 0)
        {
            return (allValue.GetString()!, problem);
        }

        return includeAll
            ? ($"({string.Join('|', options.Select(Regex.Escape))})", problem)
            : (options.Length > 0 ? Regex.Escape(options[0]) : "", problem);
    }

    /// <summary>Why a query's answer would show "No data" or an error, or <see langword="null"/> when it has a value.</summary>
    internal static string? Unanswered(JsonElement answer, string refId)
    {
        if (!answer.TryGetProperty("results", out var results) || !results.TryGetProperty(refId, out var result))
        {
            return $"no result ({answer})";
        }

        if (result.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String && error.GetString()!.Length > 0)
        {
            return $"error: {error.GetString()}";
        }

        if (result.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Number && status.GetInt32() != 200)
        {
            return $"status {status.GetInt32()}";
        }

        foreach (var frame in result.TryGetProperty("frames", out var frames) ? frames.EnumerateArray() : default)
        {
            var fields = frame.GetProperty("schema").GetProperty("fields").EnumerateArray().ToList();
            var values = frame.TryGetProperty("data", out var data) && data.TryGetProperty("values", out var v) ? v.EnumerateArray().ToList() : [];
            for (var i = 0; i < fields.Count && i < values.Count; i++)
            {
                if (fields[i].TryGetProperty("type", out var type) && type.GetString() == "number"
                    && values[i].EnumerateArray().Any(x => x.ValueKind == JsonValueKind.Number))
                {
                    return null;
                }
            }
        }

        return "no data";
    }

    /// <summary>The expression with the dashboard's variables substituted as the frontend does, and the first other variable left (not <c>$__</c>), if any.</summary>
    internal static (string Text, string? Left) Interpolate(string expression, Dictionary<string, string> variables)
    {
        var text = VariableReference().Replace(expression, m =>
        {
            var name = m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["bracket"].Success ? m.Groups["bracket"].Value : m.Groups["plain"].Value;
            return variables.TryGetValue(name, out var value) ? value : m.Value;
        });
        var left = VariableReference().Matches(text).Select(m => m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["bracket"].Success ? m.Groups["bracket"].Value : m.Groups["plain"].Value)
            .FirstOrDefault(n => !n.StartsWith("__", StringComparison.Ordinal));
        return (text, left);
    }

    /// <summary>Every panel that is not a row, the panels of collapsed rows included.</summary>
    private static IEnumerable<JsonElement> Panels(JsonElement dashboard) =>
        dashboard.GetProperty("panels").EnumerateArray().SelectMany(p => p.GetProperty("type").GetString() == "row"
            ? p.TryGetProperty("panels", out var inner) ? inner.EnumerateArray().ToList() : []
            : [p]);

    [GeneratedRegex(@"^\s*label_values\(\s*(?:(?<selector>.+?)\s*,\s*)?(?<label>\w+)\s*\)\s*$")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"\$\{(?<braced>\w+)(?::\w+)?\}|\[\[(?<bracket>\w+)(?::\w+)?\]\]|\$(?<plain>\w+)")]
    private static partial Regex VariableReference();
}
