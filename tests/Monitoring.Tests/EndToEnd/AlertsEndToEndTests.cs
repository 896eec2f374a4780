using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>
/// Alerts fired end to end on the shared graph - fault, Prometheus, Alertmanager, the webhook - for the Airflow and
/// Kafka rules (Postgres': <see cref="PostgresEndToEndTests"/>; the blackbox ones: <see cref="BlackboxEndToEndTests"/>).
/// Airflow and Kafka are Probes' synthetic stand-ins here (the real ones cannot run on this machine), which do in each
/// fault what kafka-exporter v1.9.0 and statsd-exporter v0.28.0 with Airflow 3.1.3 do (SyntheticKafka,
/// SyntheticAirflow): this proves the rules and the path to the webhook on those shapes, not Kafka or Airflow
/// themselves. Every alert's <c>for</c> is capped in the tests (<c>Monitoring:MaxAlertFor</c>); the durations
/// themselves are proven by the promtool unit tests.
/// </summary>
public class AlertsEndToEndTests(StackFixture stack) : IClassFixture<SharedGraphUse>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Each synthetic fault, its parameters, and the alerts it must fire.</summary>
    private const string Lasting = """{"durationSeconds": 900}""";

    /// <summary>
    /// The faults started together, whose alerts are awaited while the Kafka faults that change the whole scrape run
    /// one after another. At the provisioned cadences: the consumer stops as the producer bursts 1000 messages (at the
    /// workload's 5 messages a second alone, a stopped group is 1000 behind after 200 s: the burst proves the same
    /// rule without that wait; SyntheticCadenceTests holds both); the heartbeat DAG runs each minute, and the failing
    /// DAG, triggered each minute beside it, makes the failure ratio's second failed run (a new failed series reads no
    /// increase at its first) a minute or more in.
    /// </summary>
    private static readonly (string Scenario, string Parameters, string[] Alerts)[] s_lastingFaults =
    [
        ("kafka-lag", """{"durationSeconds": 900, "burst": 1000}""", ["KafkaConsumerGroupLag"]),
        ("airflow-scheduler-stopped", Lasting, ["AirflowSchedulerHeartbeatMissing"]),
        ("airflow-dag-failures", Lasting, ["AirflowDagRunFailures", "AirflowDagRunFailureRatio"]),
        ("airflow-import-errors", Lasting, ["AirflowDagImportErrors"]),
        ("airflow-pool-starving", Lasting, ["AirflowPoolStarving"]),
    ];

    /// <summary>The longest of those waits: the failure ratio's minute or more, and the alert's way to the webhook.</summary>
    private static readonly TimeSpan s_lastingTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Every_airflow_and_kafka_fault_is_alerted_to_the_webhook_marked_synthetic()
    {
        await stack.ReadyAsync();
        var probes = stack.Client("probes");
        var prometheus = new PrometheusApi(stack.Client("prometheus"));

        var since = DateTimeOffset.UtcNow;
        foreach (var (scenario, parameters, _) in s_lastingFaults)
        {
            await StartAsync(probes, scenario, parameters);
        }

        try
        {
            var lastingAlerts = s_lastingFaults.SelectMany(f => f.Alerts).ToList();
            var lasting = Task.WhenAll(lastingAlerts.Select(a => Webhook.AlertAsync(probes, a, "firing", since, Ct, timeout: s_lastingTimeout)));

            // Meanwhile, three offline partitions: kafka-exporter's collection then outlasts the kafka job's scrape
            // timeout (each costs it about 5.3 s of metadata retries, one after another: 15.9 s against 14 s), so a
            // scrape that starts a collection fails, and the next, 15 s later, joins it and gets its result 0.9 s on.
            // Scrapes fail and succeed in turn, and every Kafka series is stale every other scrape. At the tests' scale
            // (2 s scrapes and timeout) the three cost 3 s: past the timeout, with the joining scrape's wait (1 s) well
            // inside it, as at full scale (a cost scaled by 2/15, 2.1 s, would leave that wait at 0.1 s, within the
            // jitter of a busy machine). KafkaOfflinePartitions must fire, and KafkaBrokerDown must not even go pending.
            // One after another, each from a healthy Kafka target: a partition under-replicated; three partitions offline;
            // the broker gone. (The last two take the Kafka dashboard's series away: SyntheticKafkaFaults.)
            var replicaSince = DateTimeOffset.UtcNow;
            await StartAsync(probes, "kafka-under-replicated", Lasting);
            try
            {
                AssertSynthetic("KafkaUnderReplicatedPartitions", await Webhook.AlertAsync(probes, "KafkaUnderReplicatedPartitions", "firing", replicaSince, Ct));
            }
            finally
            {
                await probes.DeleteAsync("/scenarios/kafka-under-replicated", Ct);
            }

            using (await SyntheticKafkaFaults.HoldAsync(Ct))
            {
                await KafkaHealthyAsync(prometheus);
                var offlineSince = DateTimeOffset.UtcNow;
                await StartAsync(probes, "kafka-offline-partitions", """{"durationSeconds": 900, "partitions": 3, "secondsPerPartition": 1.0}""");
                try
                {
                    AssertSynthetic("KafkaOfflinePartitions", await Webhook.AlertAsync(probes, "KafkaOfflinePartitions", "firing", offlineSince, Ct));
                    var window = $"{(int)(DateTimeOffset.UtcNow - offlineSince).TotalSeconds + 1}s";
                    // Scrapes did fail meanwhile (else this proves nothing of them), and KafkaBrokerDown never even went pending.
                    Assert.Equal(1, (await prometheus.QueryAsync($"min_over_time(up{{job=\"kafka\"}}[{window}]) == 0", Ct)).GetArrayLength());
                    var brokerDown = await prometheus.QueryAsync($"max_over_time(ALERTS{{alertname=\"KafkaBrokerDown\"}}[{window}])", Ct);
                    Assert.True(brokerDown.GetArrayLength() == 0,
                        $"KafkaBrokerDown went {brokerDown}; the kafka target's scrapes since the fault (up): {await prometheus.QueryAsync($"up{{job=\"kafka\"}}[{window}]", Ct)}");
                }
                finally
                {
                    await probes.DeleteAsync("/scenarios/kafka-offline-partitions", Ct);
                }

                // Then the broker gone: every scrape of the Kafka target hangs, as kafka-exporter's does.
                await KafkaHealthyAsync(prometheus);
                var brokerSince = DateTimeOffset.UtcNow;
                await StartAsync(probes, "kafka-broker-down", Lasting);
                try
                {
                    AssertSynthetic("KafkaBrokerDown", await Webhook.AlertAsync(probes, "KafkaBrokerDown", "firing", brokerSince, Ct));
                }
                finally
                {
                    await probes.DeleteAsync("/scenarios/kafka-broker-down", Ct);
                }

                await KafkaHealthyAsync(prometheus);
            }

            foreach (var (alertname, alert) in lastingAlerts.Zip(await lasting))
            {
                AssertSynthetic(alertname, alert);
            }
        }
        finally
        {
            await Task.WhenAll(s_lastingFaults.Select(f => probes.DeleteAsync($"/scenarios/{f.Scenario}", Ct)));
        }
    }

    /// <summary>
    /// Waits until the last scrape of the Kafka target succeeded with every partition's leader in it (the graph may be
    /// seconds old; a fault just ended takes a scrape to clear).
    /// </summary>
    private static Task KafkaHealthyAsync(PrometheusApi prometheus) =>
        Wait.UntilAsync("a healthy scrape of the Kafka target, every partition's leader in it", async ct =>
            (await prometheus.QueryAsync("up{job=\"kafka\"} == 1 and on (job, instance) count by (job, instance) (kafka_topic_partition_leader{job=\"kafka\"}) == 3", ct)).GetArrayLength() == 1,
            TimeSpan.FromSeconds(60), Ct);

    private static void AssertSynthetic(string alertname, DeliveredAlert alert)
    {
        Assert.Equal("probes", alert.Receiver);
        Assert.Equal("true", alert.Label("synthetic"));
        Assert.Equal($"docs/alerts.md#{alertname.ToLowerInvariant()}", alert.Annotation("runbook_url"));
        Assert.False(string.IsNullOrEmpty(alert.Annotation("description")));
    }

    private static Task StartAsync(HttpClient probes, string scenario, string parameters) =>
        Scenarios.StartAsync(probes, scenario, parameters, Ct);
}
