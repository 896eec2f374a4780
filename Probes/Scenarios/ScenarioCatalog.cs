namespace Monitoring.Probes;

/// <summary>The fault scenarios the Probes service knows.</summary>
public static class ScenarioCatalog
{
    /// <summary>Requests fail at <c>errorRatio</c>: fires <c>ProbesHighErrorRatio</c>.</summary>
    public const string ErrorBurst = "error-burst";

    /// <summary>Requests take <c>latencySeconds</c>: fires <c>ProbesHighLatency</c>.</summary>
    public const string LatencySpike = "latency-spike";

    /// <summary>The Kafka workload's consumer pauses: fires <c>KafkaConsumerGroupLag</c> (needs Kafka).</summary>
    public const string KafkaLag = "kafka-lag";

    /// <summary>The <c>durationSeconds</c> parameter every scenario has.</summary>
    public static readonly ScenarioParameter Duration = new("durationSeconds", 1, 3600, 120, "How long the fault lasts, in seconds.");

    /// <summary>Every scenario, by name.</summary>
    public static readonly IReadOnlyList<ScenarioDefinition> All =
    [
        new(ErrorBurst, "A share of the simulated requests fails.",
            [Duration, new("errorRatio", 0.01, 1, 0.5, "The share of requests that fail, from 0.01 to 1.")]),
        new(LatencySpike, "Every simulated request is slow.",
            [Duration, new("latencySeconds", 0.01, 30, 2, "The latency of each request, in seconds.")]),
        new(KafkaLag, "The Kafka workload's consumer group stops reading, so its lag grows.", [Duration]),
    ];

    /// <summary>Finds a scenario by name (case-sensitive, as in the URL).</summary>
    /// <param name="name">The scenario name.</param>
    /// <returns>The definition, or <see langword="null"/> when there is none.</returns>
    public static ScenarioDefinition? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
