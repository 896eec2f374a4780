using System.Net.Http.Json;
using System.Text.Json;

namespace Monitoring.Tests.Infrastructure;

/// <summary>An alert as it reached the Probes webhook, with the notification that carried it.</summary>
/// <param name="Notification">Alertmanager's webhook payload.</param>
/// <param name="Alert">The alert of the payload that was asked for.</param>
internal sealed record DeliveredAlert(JsonElement Notification, JsonElement Alert)
{
    /// <summary>The receiver that delivered it.</summary>
    public string Receiver => Notification.GetProperty("receiver").GetString() ?? "";

    /// <summary>A label of the alert, or an empty string.</summary>
    public string Label(string name) => Alert.GetProperty("labels").TryGetProperty(name, out var value) ? value.GetString() ?? "" : "";

    /// <summary>An annotation of the alert, or an empty string.</summary>
    public string Annotation(string name) => Alert.GetProperty("annotations").TryGetProperty(name, out var value) ? value.GetString() ?? "" : "";
}

/// <summary>What reached the Probes service's Alertmanager webhook (<c>GET /alertmanager/notifications</c>).</summary>
internal static class Webhook
{
    /// <summary>The default wait for a notification: rule <c>for</c> (capped in tests), then Alertmanager's grouping.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Waits for an alert with a status - picked by its name and, when given, its labels - in a notification that
    /// reached the webhook at or after <paramref name="since"/> (take the time just before the fault is injected, so
    /// a notification from before it never counts), and returns the latest such alert.
    /// </summary>
    /// <param name="probes">A client of the Probes service.</param>
    /// <param name="alertname">The alert.</param>
    /// <param name="status"><c>firing</c> or <c>resolved</c>: the alert's own status, not only its notification's.</param>
    /// <param name="since">The earliest arrival that counts.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <param name="labels">Labels the alert must carry (<c>job=refused</c>); any alert of that name when not given.</param>
    /// <param name="timeout">How long to wait; <see cref="DefaultTimeout"/> when not given.</param>
    /// <returns>The alert and its notification.</returns>
    public static async Task<DeliveredAlert> AlertAsync(
        HttpClient probes, string alertname, string status, DateTimeOffset since, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? labels = null, TimeSpan? timeout = null)
    {
        DeliveredAlert? found = null;
        var what = labels is null ? alertname : $"{alertname}{{{string.Join(", ", labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}}";
        try
        {
            await WaitAsync();
        }
        catch (TimeoutException timedOut)
        {
            // Say what did arrive meanwhile, so a failure tells a silent path from a wrong alert.
            throw new TimeoutException($"{timedOut.Message} Arrived since: {await ArrivedAsync(probes, since)}", timedOut);
        }

        return found!;

        Task WaitAsync() => Wait.UntilAsync($"a '{status}' {what} at the Probes webhook since {since:HH:mm:ss.fff}", async ct =>
        {
            found = await FindAsync(probes, alertname, status, since, ct, labels);
            return found is not null;
        }, timeout ?? DefaultTimeout, cancellationToken, TimeSpan.FromSeconds(2));
    }

    /// <summary>
    /// The latest alert with a status - picked by its name and, when given, its labels - in a notification that reached
    /// the webhook at or after <paramref name="since"/>, or <see langword="null"/>: one read, no wait.
    /// </summary>
    /// <param name="probes">A client of the Probes service.</param>
    /// <param name="alertname">The alert.</param>
    /// <param name="status"><c>firing</c> or <c>resolved</c>.</param>
    /// <param name="since">The earliest arrival that counts.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <param name="labels">Labels the alert must carry; any alert of that name when not given.</param>
    /// <returns>The alert and its notification, or <see langword="null"/>.</returns>
    public static async Task<DeliveredAlert?> FindAsync(
        HttpClient probes, string alertname, string status, DateTimeOffset since, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? labels = null)
    {
        var list = await probes.GetFromJsonAsync<JsonElement>(
            $"/alertmanager/notifications?alertname={Uri.EscapeDataString(alertname)}&since={Uri.EscapeDataString(since.ToString("O"))}", cancellationToken);
        return list.EnumerateArray()
            .SelectMany(n => n.GetProperty("alerts").EnumerateArray().Select(a => new DeliveredAlert(n, a)))
            .LastOrDefault(d => d.Label("alertname") == alertname
                && d.Alert.GetProperty("status").GetString() == status
                && (labels ?? new Dictionary<string, string>()).All(l => d.Label(l.Key) == l.Value));
    }

    /// <summary>The alerts (name, status, receiver) in the notifications that arrived since a time, the last 30 of them.</summary>
    private static async Task<string> ArrivedAsync(HttpClient probes, DateTimeOffset since)
    {
        try
        {
            using var read = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var list = await probes.GetFromJsonAsync<JsonElement>($"/alertmanager/notifications?since={Uri.EscapeDataString(since.ToString("O"))}", read.Token);
            var alerts = list.EnumerateArray()
                .SelectMany(n => n.GetProperty("alerts").EnumerateArray().Select(a => new DeliveredAlert(n, a)))
                .Select(d => $"{d.Label("alertname")} {d.Alert.GetProperty("status").GetString()} ({d.Receiver})")
                .ToList();
            return alerts.Count == 0 ? "nothing" : string.Join(", ", alerts.TakeLast(30));
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException)
        {
            return $"unknown, the webhook did not answer ({ex.Message})";
        }
    }
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
