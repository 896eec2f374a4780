using Monitoring.Tests.Infrastructure;
using Npgsql;

namespace Monitoring.Tests.EndToEnd;

/// <summary>
/// Alerts fired end to end on the shared graph - fault, Prometheus, Alertmanager, the webhook - for the Postgres,
/// Airflow and Kafka rules (the blackbox ones: <see cref="BlackboxEndToEndTests"/>). Airflow and Kafka are Probes' synthetic stand-ins here (the real ones cannot
/// run on this machine); the rules cannot tell, which is the point. Every alert's <c>for</c> is capped in the tests
/// (<c>Monitoring:MaxAlertFor</c>); the durations themselves are proven by the promtool unit tests.
/// </summary>
public class AlertsEndToEndTests(StackFixture stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Each synthetic scenario and the alert it must fire.</summary>
    private static readonly (string Scenario, string Alert)[] s_syntheticFaults =
    [
        ("kafka-broker-down", "KafkaBrokerDown"),
        ("kafka-lag", "KafkaConsumerGroupLag"),
        ("kafka-under-replicated", "KafkaUnderReplicatedPartitions"),
        ("kafka-offline-partitions", "KafkaOfflinePartitions"),
        ("airflow-scheduler-stopped", "AirflowSchedulerHeartbeatMissing"),
        ("airflow-dag-failures", "AirflowDagRunFailures"),
        ("airflow-task-failures", "AirflowTaskFailureRatio"),
        ("airflow-import-errors", "AirflowDagImportErrors"),
        ("airflow-pool-starving", "AirflowPoolStarving"),
    ];

    [Fact]
    public async Task Every_airflow_and_kafka_fault_is_alerted_to_the_webhook()
    {
        stack.SkipIfUnavailable();
        var probes = stack.Client("probes");
        var faults = s_syntheticFaults;

        // All at once, so their waits overlap (the heartbeat alert needs a minute without heartbeats first).
        var since = DateTimeOffset.UtcNow;
        foreach (var (scenario, _) in faults)
        {
            await StartAsync(probes, scenario, """{"durationSeconds": 900}""");
        }

        try
        {
            var delivered = await Task.WhenAll(faults.Select(f => Webhook.AlertAsync(probes, f.Alert, "firing", since, Ct)));

            foreach (var ((_, alertname), alert) in faults.Zip(delivered))
            {
                Assert.Equal("probes", alert.Receiver);
                Assert.Equal($"docs/alerts.md#{alertname.ToLowerInvariant()}", alert.Annotation("runbook_url"));
                Assert.False(string.IsNullOrEmpty(alert.Annotation("description")));
            }
        }
        finally
        {
            await Task.WhenAll(faults.Select(f => probes.DeleteAsync($"/scenarios/{f.Scenario}", Ct)));
        }
    }

    [Fact]
    public async Task Postgres_near_its_connection_limit_is_alerted()
    {
        stack.SkipIfUnavailable();
        var connectionString = new NpgsqlConnectionStringBuilder(await stack.App.GetConnectionStringAsync("postgres", Ct)) { Pooling = false }.ConnectionString;
        var connections = new List<NpgsqlConnection>();
        var since = DateTimeOffset.UtcNow;
        try
        {
            await using (var first = new NpgsqlConnection(connectionString))
            {
                await first.OpenAsync(Ct);
                await using var command = new NpgsqlCommand("SELECT current_setting('max_connections')::int", first);
                var max = (int)(await command.ExecuteScalarAsync(Ct))!;
                // 85% of the limit, well over the alert's 80%, and under it for the superuser's reserved slots.
                for (var i = 0; i < max * 85 / 100; i++)
                {
                    var connection = new NpgsqlConnection(connectionString);
                    connections.Add(connection);
                    await connection.OpenAsync(Ct);
                }
            }

            var alert = await Webhook.AlertAsync(stack.Client("probes"), "PostgresTooManyConnections", "firing", since, Ct);
            Assert.Equal("warning", alert.Label("severity"));
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static Task StartAsync(HttpClient probes, string scenario, string parameters) => Scenarios.StartAsync(probes, scenario, parameters, Ct);
}
