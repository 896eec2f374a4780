namespace Monitoring.Probes;

/// <summary>A numeric parameter of a scenario, with its allowed range.</summary>
/// <param name="Name">The JSON property name.</param>
/// <param name="Minimum">The smallest allowed value.</param>
/// <param name="Maximum">The largest allowed value.</param>
/// <param name="Default">The value used when the request omits it.</param>
/// <param name="Description">What it controls.</param>
public sealed record ScenarioParameter(string Name, double Minimum, double Maximum, double Default, string Description);

/// <summary>What a scenario acts on, and so when it can run.</summary>
public enum ScenarioSource
{
    /// <summary>The Probes service itself: always.</summary>
    Probes,

    /// <summary>Kafka: the workload against a real broker, or the synthetic Kafka series.</summary>
    Kafka,

    /// <summary>The synthetic Kafka series only (with a real Kafka, stop the broker instead).</summary>
    SyntheticKafka,

    /// <summary>The synthetic Airflow series only (with a real Airflow, use the <c>fail_on_demand</c> DAG).</summary>
    SyntheticAirflow,
}

/// <summary>A named fault the Probes service can inject.</summary>
/// <param name="Name">The name used in <c>POST /scenarios/{name}</c>.</param>
/// <param name="Description">What it does and which alert it should trigger.</param>
/// <param name="Parameters">Its parameters.</param>
/// <param name="Source">What it acts on.</param>
public sealed record ScenarioDefinition(string Name, string Description, IReadOnlyList<ScenarioParameter> Parameters, ScenarioSource Source = ScenarioSource.Probes);

/// <summary>A scenario that is running.</summary>
/// <param name="Name">The scenario's name.</param>
/// <param name="Parameters">Every parameter's effective value.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="EndsAt">When it stops by itself.</param>
public sealed record ActiveScenario(string Name, IReadOnlyDictionary<string, double> Parameters, DateTimeOffset StartedAt, DateTimeOffset EndsAt);
