using System.Net.Http.Json;
using System.Text.Json;

namespace Monitoring.Tests.Infrastructure;

/// <summary>Reads Alertmanager's HTTP API (v2).</summary>
internal sealed class AlertmanagerApi(HttpClient http)
{
    /// <summary>
    /// The alerts Alertmanager holds that match every filter (<c>alertname="TargetDown"</c>), each with its labels and
    /// its <c>status</c> (<c>state</c>: active, suppressed; <c>inhibitedBy</c>, <c>silencedBy</c>).
    /// </summary>
    /// <param name="ct">Cancels the read.</param>
    /// <param name="activeOnly">Only the alerts neither silenced nor inhibited.</param>
    /// <param name="filters">Label matchers, as Alertmanager's API takes them.</param>
    /// <returns>The alerts.</returns>
    public async Task<IReadOnlyList<JsonElement>> AlertsAsync(CancellationToken ct, bool activeOnly, params string[] filters)
    {
        var query = string.Concat(filters.Select(f => $"&filter={Uri.EscapeDataString(f)}"));
        var state = activeOnly ? "active=true&silenced=false&inhibited=false" : "";
        var body = await http.GetFromJsonAsync<JsonElement>($"/api/v2/alerts?{state}{query}", ct);
        return [.. body.EnumerateArray()];
    }
}
