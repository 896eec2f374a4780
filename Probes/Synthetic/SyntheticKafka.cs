using System.Diagnostics.Metrics;
using Monitoring.Probes.Kafka;

namespace Monitoring.Probes.Synthetic;

/// <summary>
/// Kafka-shaped series for machines where Kafka cannot run: exactly the names and labels kafka-exporter v1.9.0
/// produces (<c>provisioning/kafka/kafka-exporter-metrics.txt</c>), and in each fault what it produces then - series
/// that disappear, a scrape that does not end - read from its source (danielqsj/kafka_exporter kafka_exporter.go at
/// v1.9.0, IBM/sarama v1.45.0 beneath it). A healthy single broker with the workload's topic (3 partitions,
/// replication factor 1) and consumer group by default; the <c>kafka-*</c> scenarios break it. Served at
/// <see cref="MetricsPath"/>, scraped as job <c>kafka</c> only while the real kafka-exporter is off; the AppHost marks
/// that target <c>synthetic="true"</c>, so every series and alert of it says it is not real.
/// </summary>
public sealed class SyntheticKafka : IDisposable
{
    /// <summary>The meter of the synthetic Kafka series.</summary>
    public const string MeterName = "Monitoring.Probes.Synthetic.Kafka";

    /// <summary>Where the series are served.</summary>
    public const string MetricsPath = "/synthetic/kafka/metrics";

    private const int Partitions = 3;
    private const int BrokerId = 1;
    // As the Kafka workload (KafkaWorkload): a message every 200 ms, to a partition the client picks (no key).
    private const int ProducedPerSecond = 5;
    private static readonly TimeSpan s_brokerDownPoll = TimeSpan.FromMilliseconds(250);

    private readonly Meter _meter = new(MeterName);
    private readonly ScenarioRunner _scenarios;
    private readonly long[] _produced = new long[Partitions];
    private readonly long[] _consumed = new long[Partitions];
    private readonly Lock _lock = new();
    private Task? _collection;
    private ActiveScenario? _burstRun;

    /// <summary>Creates the instruments.</summary>
    /// <param name="scenarios">The running scenarios, which decide what breaks.</param>
    public SyntheticKafka(ScenarioRunner scenarios)
    {
        _scenarios = scenarios;
        // kafka_exporter.go:391: len(client.Brokers()), sarama's cached broker list.
        Gauge("kafka_brokers", "Number of Brokers in the Kafka Cluster.", () => [(1, [])]);
        // :434-436: client.Partitions() counts partitions with or without a leader.
        Gauge("kafka_topic_partitions", "Number of partitions for this Topic", () => [(Partitions, Topic)]);
        // :440-469: the leader, and the offsets (client.GetOffset asks the leader first), only where sarama finds a
        // leader; for a partition without one it returns ErrLeaderNotAvailable (client.go cachedLeader) and the
        // series are not emitted.
        PerLedPartition("kafka_topic_partition_current_offset", "Current Offset of a Broker at Topic/Partition", p => Snapshot().Produced[p]);
        PerLedPartition("kafka_topic_partition_oldest_offset", "Oldest Offset of a Broker at Topic/Partition", _ => 0);
        PerLedPartition("kafka_topic_partition_leader", "Leader Broker ID of this Topic/Partition", _ => BrokerId);
        // :489-497: emitted for every partition; 0 where the partition has no leader.
        PerPartition("kafka_topic_partition_leader_is_preferred", "1 if Topic/Partition is using the Preferred Broker", p => Offline(p) ? 0 : 1);
        // :471-487: from cached metadata, for every partition. A partition whose only replica is gone has an empty ISR
        // under Kafka 4.1, whose eligible leader replicas (KIP-966, on by default for clusters created by 4.1) let the
        // ISR shrink to nothing (PartitionChangeBuilder: "If ELR is enabled, the ISR is allowed to be empty").
        PerPartition("kafka_topic_partition_replicas", "Number of Replicas for this Topic/Partition", p => UnderReplicated(p) ? 2 : 1);
        PerPartition("kafka_topic_partition_in_sync_replica", "Number of In-Sync Replicas for this Topic/Partition", p => Offline(p) ? 0 : 1);
        // :499-507: emitted for every partition: 1 where the ISR is smaller than the replicas, an offline partition's too.
        PerPartition("kafka_topic_partition_under_replicated_partition", "1 if Topic/Partition is under Replicated", p => UnderReplicated(p) || Offline(p) ? 1 : 0);
        // :599-688: the group's offsets and lag for the partitions whose newest offset was found (none without a
        // leader), and their sums over those partitions.
        PerLedPartition("kafka_consumergroup_current_offset", "Current Offset of a ConsumerGroup at Topic/Partition", p => Snapshot().Consumed[p], group: true);
        PerLedPartition("kafka_consumergroup_lag", "Current Approximate Lag of a ConsumerGroup at Topic/Partition", p => Lag(Snapshot(), p), group: true);
        Gauge("kafka_consumergroup_current_offset_sum", "Current Offset of a ConsumerGroup at Topic for all partitions",
            () => { var s = Snapshot(); return [(Led().Sum(p => s.Consumed[p]), [.. Group, .. Topic])]; });
        Gauge("kafka_consumergroup_lag_sum", "Current Approximate Lag of a ConsumerGroup at Topic for all partitions",
            () => { var s = Snapshot(); return [(Led().Sum(p => Lag(s, p)), [.. Group, .. Topic])]; });
        Gauge("kafka_consumergroup_members", "Amount of members in a consumer group", () => [(1, Group)]);
    }

    private static (string, string)[] Topic => [("topic", KafkaWorkload.Topic)];

    private static (string, string)[] Group => [("consumergroup", KafkaWorkload.GroupId)];

    /// <summary>Advances the synthetic Kafka by one second: the producer writes, the group reads unless it lags.</summary>
    public void Tick()
    {
        var lag = _scenarios.RunOf(ScenarioCatalog.KafkaLag);
        var lagging = lag is not null;
        lock (_lock)
        {
            // The workload's messages, and a run's burst once, as the workload produces it (KafkaWorkload).
            var burst = lag is not null && !ReferenceEquals(lag, _burstRun) ? (int)lag.Parameters[ScenarioCatalog.KafkaLagBurst] : 0;
            _burstRun = lag ?? _burstRun;
            for (var m = 0; m < ProducedPerSecond + burst; m++)
            {
                _produced[Random.Shared.Next(Partitions)]++;
            }

            for (var p = 0; p < Partitions; p++)
            {
                if (!lagging)
                {
                    // A healthy group is at most a message behind, not always none.
                    _consumed[p] = Math.Max(_consumed[p], _produced[p] - Random.Shared.Next(0, 2));
                }
            }
        }
    }

    /// <summary>
    /// Holds a scrape as kafka-exporter v1.9.0 does in a fault, before its series are collected. A scrape that arrives
    /// while a collection runs waits for that one and shares its result, as the exporter's do by default
    /// (<c>--concurrent.enable=false</c>, Collect at kafka_exporter.go:341-364); a collection runs to its end whether or
    /// not its scrape is still waiting (promhttp.Handler() sets no timeout, :956). With the broker gone a collection does
    /// not end: each of its per-partition calls waits on sarama's metadata retries (3 x 250 ms per refresh, client.go
    /// tryRefreshMetadata, v1.45.0) against an unreachable broker, for minutes: it is held until the fault ends. A
    /// partition without a leader costs the collection 7 metadata refreshes (one for Leader, three for each GetOffset,
    /// :440-469), about 5.3 s, one partition after another (the partitions of a topic are walked in turn, :549-555):
    /// the <c>kafka-offline-partitions</c> scenario's <c>secondsPerPartition</c>.
    /// </summary>
    /// <param name="cancellationToken">The scrape's abort (the collection goes on).</param>
    /// <returns>A task that completes when the scrape may be answered.</returns>
    public Task HoldScrapeAsync(CancellationToken cancellationToken)
    {
        Task collection;
        lock (_lock)
        {
            if (_collection is null || _collection.IsCompleted)
            {
                _collection = CollectAsync();
            }

            collection = _collection;
        }

        return collection.WaitAsync(cancellationToken);
    }

    private async Task CollectAsync()
    {
        while (_scenarios.IsActive(ScenarioCatalog.KafkaBrokerDown))
        {
            await Task.Delay(s_brokerDownPoll).ConfigureAwait(false);
        }

        if (_scenarios.ParameterOf(ScenarioCatalog.KafkaOfflinePartitions, "secondsPerPartition") is { } perPartition)
        {
            await Task.Delay(TimeSpan.FromSeconds(perPartition * OfflineCount)).ConfigureAwait(false);
        }
    }

    private int OfflineCount => _scenarios.IsActive(ScenarioCatalog.KafkaOfflinePartitions)
        ? (int)(_scenarios.ParameterOf(ScenarioCatalog.KafkaOfflinePartitions, "partitions") ?? 1)
        : 0;

    private bool Offline(int partition) => partition < OfflineCount;

    private IEnumerable<int> Led() => Enumerable.Range(0, Partitions).Where(p => !Offline(p));

    private bool UnderReplicated(int partition) => partition == 1 && _scenarios.IsActive(ScenarioCatalog.KafkaUnderReplicated);

    private static long Lag((long[] Produced, long[] Consumed) state, int partition) => state.Produced[partition] - state.Consumed[partition];

    private (long[] Produced, long[] Consumed) Snapshot()
    {
        lock (_lock)
        {
            return ([.. _produced], [.. _consumed]);
        }
    }

    private void PerPartition(string name, string description, Func<int, long> value, bool group = false) =>
        Gauge(name, description, () => Enumerable.Range(0, Partitions).Select(p => Point(p, value, group)));

    private void PerLedPartition(string name, string description, Func<int, long> value, bool group = false) =>
        Gauge(name, description, () => Led().Select(p => Point(p, value, group)));

    private static (long, (string, string)[]) Point(int partition, Func<int, long> value, bool group) =>
        (value(partition), (group ? Group : []).Concat(Topic).Append(("partition", partition.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray());

    private void Gauge(string name, string description, Func<IEnumerable<(long Value, (string Key, string Value)[] Labels)>> values) =>
        _meter.CreateObservableGauge(name, () => values().Select(v => new Measurement<long>(
            v.Value, [.. v.Labels.Select(l => new KeyValuePair<string, object?>(l.Key, l.Value))])), description: description);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
