namespace Monitoring.Probes;

/// <summary>The fault scenarios the Probes service knows.</summary>
public static class ScenarioCatalog
{
    /// <summary>A share (<c>errorRatio</c>) of the requests to <c>GET /work</c> answers 500: fires <c>ServiceHighErrorRatio</c>.</summary>
    public const string ErrorBurst = "error-burst";

    /// <summary>Every request to <c>GET /work</c> takes <c>latencySeconds</c>: fires <c>ServiceHighLatency</c>.</summary>
    public const string LatencySpike = "latency-spike";

    /// <summary><c>GET /status</c> answers 503: fires <c>EndpointDown</c> (the blackbox-exporter probes it).</summary>
    public const string EndpointDown = "endpoint-down";

    /// <summary><c>GET /status</c> answers after <c>delaySeconds</c>: fires <c>EndpointSlow</c>.</summary>
    public const string EndpointSlow = "endpoint-slow";

    /// <summary>The Kafka workload's consumer (or the synthetic group) stops reading: fires <c>KafkaConsumerGroupLag</c>.</summary>
    public const string KafkaLag = "kafka-lag";

    /// <summary>The <c>kafka-lag</c> parameter: messages produced at once as the consumer stops.</summary>
    public const string KafkaLagBurst = "burst";

    /// <summary>The synthetic Kafka's broker is gone: its scrapes hang, as kafka-exporter's do; fires <c>KafkaBrokerDown</c>.</summary>
    public const string KafkaBrokerDown = "kafka-broker-down";

    /// <summary>A synthetic partition loses an in-sync replica: fires <c>KafkaUnderReplicatedPartitions</c>.</summary>
    public const string KafkaUnderReplicated = "kafka-under-replicated";

    /// <summary>Synthetic partitions have no leader: their leader series disappear, as kafka-exporter's do; fires <c>KafkaOfflinePartitions</c>.</summary>
    public const string KafkaOfflinePartitions = "kafka-offline-partitions";

    /// <summary>The synthetic scheduler stops its heartbeat: fires <c>AirflowSchedulerHeartbeatMissing</c>.</summary>
    public const string AirflowSchedulerStopped = "airflow-scheduler-stopped";

    /// <summary>Runs of the synthetic DAG <c>monitoring_fail_on_demand</c> fail: fires <c>AirflowDagRunFailures</c> and <c>AirflowDagRunFailureRatio</c>.</summary>
    public const string AirflowDagFailures = "airflow-dag-failures";

    /// <summary>Synthetic DAG files fail to import: fires <c>AirflowDagImportErrors</c>.</summary>
    public const string AirflowImportErrors = "airflow-import-errors";

    /// <summary>Synthetic tasks wait for a pool's or the executor's slots: fires <c>AirflowPoolStarving</c>.</summary>
    public const string AirflowPoolStarving = "airflow-pool-starving";

    /// <summary>The <c>durationSeconds</c> parameter every scenario has.</summary>
    public static readonly ScenarioParameter Duration = new("durationSeconds", 1, 3600, 120, "How long the fault lasts, in seconds.");

    /// <summary>Every scenario, by name.</summary>
    public static readonly IReadOnlyList<ScenarioDefinition> All =
    [
        new(ErrorBurst, "A share of the requests to GET /work answers 500.",
            [Duration, new("errorRatio", 0.01, 1, 0.5, "The share of requests that fail, from 0.01 to 1.")]),
        new(LatencySpike, "Every request to GET /work answers late.",
            [Duration, new("latencySeconds", 0.01, 30, 2, "The latency of each request, in seconds.")]),
        new(EndpointDown, "GET /status answers 503 Service Unavailable.", [Duration]),
        new(EndpointSlow, "GET /status answers late.",
            [Duration, new("delaySeconds", 0.1, 30, 2, "How late /status answers, in seconds.")]),
        new(KafkaLag, "The consumer group stops reading (the Kafka workload's, or the synthetic one's), so its lag grows; the producer may burst as it stops.",
            [Duration, new(KafkaLagBurst, 0, 100_000, 0,
                "Messages the producer writes at once as the consumer stops (a batch's flush, a replay), beside the workload's 5 a second: the lag starts there.")],
            ScenarioSource.Kafka),
        new(KafkaBrokerDown, "The synthetic Kafka's broker is gone: scrapes of its series hang until the fault ends, as kafka-exporter's do while it retries.",
            [Duration], ScenarioSource.SyntheticKafka),
        new(KafkaUnderReplicated, "A synthetic partition has fewer in-sync replicas than replicas.", [Duration], ScenarioSource.SyntheticKafka),
        new(KafkaOfflinePartitions, "Synthetic partitions have no leader: their leader and offset series disappear, and each collection takes longer per partition, as kafka-exporter's does.",
            [Duration, new("partitions", 1, 3, 1, "How many of the topic's partitions are offline."),
             new("secondsPerPartition", 0, 60, 5.3, "How much longer a collection takes per offline partition (kafka-exporter retries its metadata: 7 refreshes of 3 x 250 ms).")],
            ScenarioSource.SyntheticKafka),
        new(AirflowSchedulerStopped, "The synthetic Airflow scheduler sends no heartbeat.", [Duration], ScenarioSource.SyntheticAirflow),
        new(AirflowDagFailures, "The synthetic DAG 'monitoring_fail_on_demand' is triggered, and fails: once at the start, then again every 'everySeconds'.",
            [Duration, new("everySeconds", 0, 3600, 60, "How often it is triggered again (0: once), beside the heartbeat DAG's run a minute.")], ScenarioSource.SyntheticAirflow),
        new(AirflowImportErrors, "Synthetic DAG files fail to import.",
            [Duration, new("errors", 1, 100, 1, "How many DAG files fail.")], ScenarioSource.SyntheticAirflow),
        new(AirflowPoolStarving, "More synthetic tasks are ready than can run: those beyond the executor's 32 slots (Airflow's default parallelism) or the pool's wait, scheduled.",
            [Duration, new("tasks", 1, 1000, 3, "How many tasks wait, scheduled."),
             new("poolSlots", 1, 1000, 128, "The slots of 'default_pool' (128, Airflow's default; below 32 the pool fills before the executor).")],
            ScenarioSource.SyntheticAirflow),
    ];

    /// <summary>Finds a scenario by name (case-sensitive, as in the URL).</summary>
    /// <param name="name">The scenario name.</param>
    /// <returns>The definition, or <see langword="null"/> when there is none.</returns>
    public static ScenarioDefinition? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
