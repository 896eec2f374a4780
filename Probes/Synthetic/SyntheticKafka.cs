using System.Diagnostics.Metrics;
using Monitoring.Probes.Kafka;

namespace Monitoring.Probes.Synthetic;

/// <summary>
/// Kafka-shaped series for machines where Kafka cannot run: exactly the names and labels kafka-exporter produces
/// (<c>provisioning/kafka/kafka-exporter-metrics.txt</c>), plus <c>synthetic="true"</c> on every series. A healthy
/// single broker with the workload's topic (3 partitions, replication factor 1) and consumer group by default; the
/// <c>kafka-*</c> scenarios break it. Served at <see cref="MetricsPath"/>, scraped as job <c>kafka</c> only while the
/// real kafka-exporter is off.
/// </summary>
public sealed class SyntheticKafka : IDisposable
{
    /// <summary>The meter of the synthetic Kafka series.</summary>
    public const string MeterName = "Monitoring.Probes.Synthetic.Kafka";

    /// <summary>Where the series are served.</summary>
    public const string MetricsPath = "/synthetic/kafka/metrics";

    private const int Partitions = 3;
    private const int BrokerId = 1;
    private const long ProducedPerSecond = 20;

    private readonly Meter _meter = new(MeterName);
    private readonly ScenarioRunner _scenarios;
    private readonly long[] _produced = new long[Partitions];
    private readonly long[] _consumed = new long[Partitions];
    private readonly Lock _lock = new();

    /// <summary>Creates the instruments.</summary>
    /// <param name="scenarios">The running scenarios, which decide what breaks.</param>
    public SyntheticKafka(ScenarioRunner scenarios)
    {
        _scenarios = scenarios;
        Gauge("kafka_brokers", "Number of Brokers in the Kafka Cluster.", () => [(Active(ScenarioCatalog.KafkaBrokerDown) ? 0 : 1, [])]);
        Gauge("kafka_topic_partitions", "Number of partitions for this Topic", () => [(Partitions, Topic)]);
        PerPartition("kafka_topic_partition_current_offset", "Current Offset of a Broker at Topic/Partition", p => Snapshot().Produced[p]);
        PerPartition("kafka_topic_partition_oldest_offset", "Oldest Offset of a Broker at Topic/Partition", _ => 0);
        PerPartition("kafka_topic_partition_leader", "Leader Broker ID of this Topic/Partition",
            p => p == 0 && Active(ScenarioCatalog.KafkaOfflinePartitions) ? -1 : BrokerId);
        PerPartition("kafka_topic_partition_leader_is_preferred", "1 if Topic/Partition is using the Preferred Broker", _ => 1);
        PerPartition("kafka_topic_partition_replicas", "Number of Replicas for this Topic/Partition", p => UnderReplicated(p) ? 2 : 1);
        PerPartition("kafka_topic_partition_in_sync_replica", "Number of In-Sync Replicas for this Topic/Partition", _ => 1);
        PerPartition("kafka_topic_partition_under_replicated_partition", "1 if Topic/Partition is under Replicated", p => UnderReplicated(p) ? 1 : 0);
        PerPartition("kafka_consumergroup_current_offset", "Current Offset of a ConsumerGroup at Topic/Partition", p => Snapshot().Consumed[p], group: true);
        PerPartition("kafka_consumergroup_lag", "Current Approximate Lag of a ConsumerGroup at Topic/Partition", p => Lag(Snapshot(), p), group: true);
        Gauge("kafka_consumergroup_current_offset_sum", "Current Offset of a ConsumerGroup at Topic for all partitions",
            () => [(Snapshot().Consumed.Sum(), [.. Group, .. Topic])]);
        Gauge("kafka_consumergroup_lag_sum", "Current Approximate Lag of a ConsumerGroup at Topic for all partitions",
            () => { var s = Snapshot(); return [(Enumerable.Range(0, Partitions).Sum(p => Lag(s, p)), [.. Group, .. Topic])]; });
        Gauge("kafka_consumergroup_members", "Amount of members in a consumer group", () => [(1, Group)]);
    }

    private static (string, string)[] Topic => [("topic", KafkaWorkload.Topic)];

    private static (string, string)[] Group => [("consumergroup", KafkaWorkload.GroupId)];

    /// <summary>Advances the synthetic Kafka by one second: the producer writes, the group reads unless it lags.</summary>
    public void Tick()
    {
        var lagging = Active(ScenarioCatalog.KafkaLag);
        lock (_lock)
        {
            for (var p = 0; p < Partitions; p++)
            {
                _produced[p] += ProducedPerSecond;
                if (!lagging)
                {
                    // A healthy group is a few messages behind, not none.
                    _consumed[p] = _produced[p] - Random.Shared.Next(0, 4);
                }
            }
        }
    }

    private bool Active(string scenario) => _scenarios.IsActive(scenario);

    private bool UnderReplicated(int partition) => partition == 1 && Active(ScenarioCatalog.KafkaUnderReplicated);

    private static long Lag((long[] Produced, long[] Consumed) state, int partition) => state.Produced[partition] - state.Consumed[partition];

    private (long[] Produced, long[] Consumed) Snapshot()
    {
        lock (_lock)
        {
            return ([.. _produced], [.. _consumed]);
        }
    }

    private void PerPartition(string name, string description, Func<int, long> value, bool group = false) =>
        Gauge(name, description, () => Enumerable.Range(0, Partitions)
            .Select(p => (value(p), (group ? Group : []).Concat(Topic).Append(("partition", p.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray())));

    private void Gauge(string name, string description, Func<IEnumerable<(long Value, (string Key, string Value)[] Labels)>> values) =>
        _meter.CreateObservableGauge(name, () => values().Select(v => new Measurement<long>(
            v.Value, [SyntheticAirflow.Synthetic, .. v.Labels.Select(l => new KeyValuePair<string, object?>(l.Key, l.Value))])), description: description);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
