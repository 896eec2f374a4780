using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Monitoring.AppHost;

/// <summary>
/// Health of an Airflow process that serves no HTTP endpoint (dag-processor, triggerer), read from the api-server's
/// <c>/api/v2/monitor/health</c>, which reports each component's heartbeat.
/// </summary>
/// <param name="apiServerUrl">The api-server's URL, once allocated.</param>
/// <param name="component">The component's key in the health document (<c>dag_processor</c>, <c>triggerer</c>).</param>
internal sealed class AirflowComponentHealthCheck(Func<string> apiServerUrl, string component) : IHealthCheck
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var health = await s_http.GetFromJsonAsync<JsonElement>($"{apiServerUrl()}/api/v2/monitor/health", cancellationToken).ConfigureAwait(false);
            var status = health.TryGetProperty(component, out var part) && part.TryGetProperty("status", out var s) ? s.GetString() : null;
            return status == "healthy"
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"The api-server reports {component} as '{status ?? "absent"}'.");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"The api-server's health endpoint did not answer: {ex.Message}");
        }
    }
}
