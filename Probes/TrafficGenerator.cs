using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Monitoring.Probes;

/// <summary>Options of the Probes service (section <c>Probes</c>).</summary>
public sealed class ProbesOptions
{
    /// <summary>How often a simulated request is handled, in milliseconds (10 to 10000).</summary>
    [Range(10, 10000)]
    public int TrafficIntervalMilliseconds { get; set; } = 100;

    /// <summary>How many Alertmanager notifications are kept in memory (1 to 100000); the oldest go first.</summary>
    [Range(1, 100000)]
    public int NotificationCapacity { get; set; } = 1000;
}

/// <summary>
/// Simulates a steady stream of requests so the request metrics always have data; the running scenarios decide
/// which fail and how slow they are.
/// </summary>
/// <param name="metrics">Where requests are recorded.</param>
/// <param name="scenarios">The running scenarios.</param>
/// <param name="options">The traffic interval.</param>
/// <param name="time">The clock.</param>
public sealed class TrafficGenerator(ProbeMetrics metrics, ScenarioRunner scenarios, IOptions<ProbesOptions> options, TimeProvider time) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.TrafficIntervalMilliseconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var errorRatio = scenarios.ParameterOf(ScenarioCatalog.ErrorBurst, "errorRatio") ?? 0;
            var latency = scenarios.ParameterOf(ScenarioCatalog.LatencySpike, "latencySeconds")
                ?? 0.005 + (Random.Shared.NextDouble() * 0.045);
            metrics.RecordRequest(success: Random.Shared.NextDouble() >= errorRatio, latency);
        }
    }
}
