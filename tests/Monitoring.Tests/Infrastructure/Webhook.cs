using System.Net.Http.Json;
using System.Text.Json;

namespace Monitoring.Tests.Infrastructure;

/// <summary>What reached the Probes service's Alertmanager webhook (<c>GET /alertmanager/notifications</c>).</summary>
internal static class Webhook
{
    /// <summary>The default wait for a notification: rule <c>for</c> (capped in tests), then Alertmanager's grouping.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Waits for a notification of an alert with a status, and returns the latest.</summary>
    /// <param name="probes">A client of the Probes service.</param>
    /// <param name="alertname">The alert.</param>
    /// <param name="status"><c>firing</c> or <c>resolved</c>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <param name="timeout">How long to wait; <see cref="DefaultTimeout"/> when not given.</param>
    /// <returns>The notification (Alertmanager's webhook payload).</returns>
    public static async Task<JsonElement> NotificationAsync(HttpClient probes, string alertname, string status, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        JsonElement list = default;
        await Wait.UntilAsync($"a '{status}' {alertname} notification at the Probes webhook", async ct =>
        {
            list = await probes.GetFromJsonAsync<JsonElement>($"/alertmanager/notifications?alertname={alertname}&status={status}", ct);
            return list.GetArrayLength() > 0;
        }, timeout ?? DefaultTimeout, cancellationToken, TimeSpan.FromSeconds(2));
        return list[list.GetArrayLength() - 1];
    }

    /// <summary>The first alert of a notification with that name.</summary>
    /// <param name="notification">The notification.</param>
    /// <param name="alertname">The alert.</param>
    /// <returns>The alert.</returns>
    public static JsonElement Alert(JsonElement notification, string alertname) =>
        notification.GetProperty("alerts").EnumerateArray().First(a => a.GetProperty("labels").GetProperty("alertname").GetString() == alertname);

    /// <summary>A label of an alert.</summary>
    /// <param name="alert">The alert.</param>
    /// <param name="name">The label.</param>
    /// <returns>Its value, or an empty string.</returns>
    public static string Label(JsonElement alert, string name) =>
        alert.GetProperty("labels").TryGetProperty(name, out var value) ? value.GetString() ?? "" : "";
}

/// <summary>Starts Probes' fault scenarios.</summary>
internal static class Scenarios
{
    /// <summary>Starts a scenario and requires it to run.</summary>
    /// <param name="probes">A client of the Probes service.</param>
    /// <param name="scenario">Its name.</param>
    /// <param name="parameters">Its parameters, a JSON object.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task that completes when it runs.</returns>
    public static async Task StartAsync(HttpClient probes, string scenario, string parameters, CancellationToken cancellationToken)
    {
        var response = await probes.PostAsync($"/scenarios/{scenario}", new StringContent(parameters, System.Text.Encoding.UTF8, "application/json"), cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{scenario}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }
}
