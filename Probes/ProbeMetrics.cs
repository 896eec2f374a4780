using System.Diagnostics.Metrics;

namespace Monitoring.Probes;

/// <summary>
/// The Probes service's own instruments, besides the standard ASP.NET Core and .NET runtime ones every service exports
/// (its requests are measured by ASP.NET Core, as any service's). Through the OpenTelemetry Prometheus exporter they
/// appear as <c>probes_heartbeat_timestamp_seconds</c>, <c>probes_scenario_active{scenario}</c> and
/// <c>probes_alert_notifications_total{status}</c>; the Probes dashboard uses these names.
/// </summary>
public sealed class ProbeMetrics : IDisposable
{
    /// <summary>The name of the meter, registered with OpenTelemetry.</summary>
    public const string MeterName = "Monitoring.Probes";

    private readonly Meter _meter;
    private readonly Counter<long> _notifications;

    /// <summary>Creates the instruments.</summary>
    /// <param name="meterFactory">The meter factory of the host.</param>
    /// <param name="scenarios">Observed for the active-scenario gauge.</param>
    /// <param name="time">The clock of the heartbeat.</param>
    public ProbeMetrics(IMeterFactory meterFactory, ScenarioRunner scenarios, TimeProvider time)
    {
        _meter = meterFactory.Create(MeterName);
        _notifications = _meter.CreateCounter<long>("probes.alert.notifications", "{notification}", "Alertmanager webhook notifications received, by status.");
        _meter.CreateObservableGauge("probes.heartbeat.timestamp", () => time.GetUtcNow().ToUnixTimeSeconds(), "s", "Unix time of the last heartbeat: stops advancing when the service hangs.");
        _meter.CreateObservableGauge("probes.scenario.active", () => scenarios.Catalog.Select(
            s => new Measurement<int>(scenarios.IsActive(s.Name) ? 1 : 0, new KeyValuePair<string, object?>("scenario", s.Name))),
            description: "1 while the named fault scenario runs.");
    }

    /// <summary>Counts one received Alertmanager notification.</summary>
    /// <param name="status">Its status, <c>firing</c> or <c>resolved</c>.</param>
    public void RecordNotification(string status) =>
        _notifications.Add(1, new KeyValuePair<string, object?>("status", status));

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
