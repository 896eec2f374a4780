using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Monitoring.Probes.Kafka;

/// <summary>
/// A small, steady Kafka workload so the Kafka dashboard and alerts have data: a producer writes to
/// <see cref="Topic"/> and the consumer group <see cref="GroupId"/> reads it. The <c>kafka-lag</c> scenario pauses the
/// consumer, so the group's lag grows until the scenario ends, from the burst the producer writes as it starts (its
/// <c>burst</c> parameter). Off unless <c>Kafka:BootstrapServers</c> is set.
/// </summary>
/// <param name="configuration">Where the bootstrap servers come from.</param>
/// <param name="scenarios">The running scenarios.</param>
/// <param name="meterFactory">For the produced and consumed counters.</param>
/// <param name="logger">The logger.</param>
public sealed class KafkaWorkload(IConfiguration configuration, ScenarioRunner scenarios, IMeterFactory meterFactory, ILogger<KafkaWorkload> logger) : BackgroundService
{
    /// <summary>The topic written and read.</summary>
    public const string Topic = "probes.events";

    /// <summary>The consumer group whose lag the Kafka alerts watch.</summary>
    public const string GroupId = "probes-consumer";

    private static readonly TimeSpan s_produceInterval = TimeSpan.FromMilliseconds(200);

    // The kafka-lag run the consumer has paused for: its burst is produced once the consumer reads no more of it.
    private volatile ActiveScenario? _pausedFor;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var servers = configuration["Kafka:BootstrapServers"];
        if (string.IsNullOrWhiteSpace(servers))
        {
            logger.LogInformation("Kafka workload off: Kafka:BootstrapServers is not set.");
            return;
        }

        var meter = meterFactory.Create(ProbeMetrics.MeterName);
        var produced = meter.CreateCounter<long>("probes.kafka.produced", "{message}", "Messages the workload produced.");
        var consumed = meter.CreateCounter<long>("probes.kafka.consumed", "{message}", "Messages the workload consumed.");

        await EnsureTopicAsync(servers).ConfigureAwait(false);
        await Task.WhenAll(
            Task.Run(() => ProduceAsync(servers, produced, stoppingToken), stoppingToken),
            Task.Run(() => Consume(servers, consumed, stoppingToken), stoppingToken)).ConfigureAwait(false);
    }

    private async Task EnsureTopicAsync(string servers)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = servers }).Build();
        try
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = Topic, NumPartitions = 3, ReplicationFactor = 1 }]).ConfigureAwait(false);
        }
        catch (CreateTopicsException ex) when (ex.Results.All(r => r.Error.Code == ErrorCode.TopicAlreadyExists))
        {
            // Created by an earlier run: the data volume keeps it.
        }
    }

    private async Task ProduceAsync(string servers, Counter<long> produced, CancellationToken ct)
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = servers, LingerMs = 5 }).Build();
        using var timer = new PeriodicTimer(s_produceInterval);
        ActiveScenario? burstRun = null;
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            try
            {
                // A kafka-lag run's burst, once, when the consumer has stopped.
                if (scenarios.RunOf(ScenarioCatalog.KafkaLag) is { } lag && ReferenceEquals(lag, _pausedFor) && !ReferenceEquals(lag, burstRun))
                {
                    burstRun = lag;
                    var burst = (int)lag.Parameters[ScenarioCatalog.KafkaLagBurst];
                    for (var m = 0; m < burst; m++)
                    {
                        producer.Produce(Topic, new Message<Null, string> { Value = DateTimeOffset.UtcNow.ToString("O") });
                    }

                    producer.Flush(ct);
                    produced.Add(burst);
                }

                await producer.ProduceAsync(Topic, new Message<Null, string> { Value = DateTimeOffset.UtcNow.ToString("O") }, ct).ConfigureAwait(false);
                produced.Add(1);
            }
            catch (ProduceException<Null, string> ex)
            {
                logger.LogWarning("Kafka produce failed: {Reason}", ex.Error.Reason);
            }
        }
    }

    private void Consume(string servers, Counter<long> consumed, CancellationToken ct)
    {
        using var consumer = new ConsumerBuilder<Null, string>(new ConsumerConfig
        {
            BootstrapServers = servers,
            GroupId = GroupId,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = true,
        }).Build();
        consumer.Subscribe(Topic);
        var paused = false;
        while (!ct.IsCancellationRequested)
        {
            var lag = scenarios.RunOf(ScenarioCatalog.KafkaLag);
            var lagging = lag is not null;
            if (lagging != paused && consumer.Assignment.Count > 0)
            {
                if (lagging)
                {
                    consumer.Pause(consumer.Assignment);
                }
                else
                {
                    consumer.Resume(consumer.Assignment);
                }

                paused = lagging;
            }

            _pausedFor = paused ? lag : null;

            try
            {
                // Consume also keeps the group membership alive while paused.
                if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is not null)
                {
                    consumed.Add(1);
                }
            }
            catch (ConsumeException ex)
            {
                logger.LogWarning("Kafka consume failed: {Reason}", ex.Error.Reason);
            }
        }

        consumer.Close();
    }
}
