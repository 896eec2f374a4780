using System.Diagnostics.Metrics;
using Monitoring.Probes;
using Monitoring.Probes.Synthetic;

namespace Monitoring.Tests.Probes;

/// <summary>
/// The stand-ins run at the provisioned cadences, so the end-to-end tests wait what a user waits: the heartbeat DAG
/// each minute (provisioning/airflow/dags/monitoring_heartbeat.py), the failing DAG when triggered, and Kafka's 5
/// messages a second (the Probes workload). Each second of the stand-ins is one <c>Tick</c>. In the collection of
/// <see cref="SyntheticSeriesTests"/>, whose in-process Probes has meters of the same names that a listener would hear.
/// </summary>
[Collection(SyntheticSeriesTests.Collection)]
public class SyntheticCadenceTests
{
    [Fact]
    public void The_heartbeat_dag_runs_each_minute_and_the_failing_one_when_triggered_then_at_its_interval()
    {
        var scenarios = new ScenarioRunner(TimeProvider.System);
        using var airflow = new SyntheticAirflow(scenarios);
        using var runs = new Recorded(SyntheticAirflow.MeterName, "airflow_dagrun_duration_seconds");

        Tick(airflow.Tick, 180);
        Assert.Equal(3, runs.Count("state", "success"));
        Assert.Equal(0, runs.Count("state", "failed"));

        scenarios.Start(ScenarioCatalog.All.Single(s => s.Name == ScenarioCatalog.AirflowDagFailures),
            new Dictionary<string, double> { [ScenarioCatalog.Duration.Name] = 900, ["everySeconds"] = 60 });
        airflow.Tick();
        Assert.Equal(1, runs.Count("state", "failed"));
        Tick(airflow.Tick, 119);
        Assert.Equal(2, runs.Count("state", "failed"));
        Assert.Equal(5, runs.Count("state", "success"));
    }

    [Fact]
    public void Kafka_receives_five_messages_a_second()
    {
        using var kafka = new SyntheticKafka(new ScenarioRunner(TimeProvider.System));
        using var offsets = new Recorded(SyntheticKafka.MeterName, "kafka_topic_partition_current_offset");

        var before = offsets.Observe();
        Tick(kafka.Tick, 60);

        Assert.Equal(300, offsets.Observe() - before);
    }

    [Fact]
    public void A_lagging_group_starts_from_its_burst_once_then_falls_behind_at_the_workloads_rate()
    {
        var scenarios = new ScenarioRunner(TimeProvider.System);
        using var kafka = new SyntheticKafka(scenarios);
        using var lag = new Recorded(SyntheticKafka.MeterName, "kafka_consumergroup_lag_sum");
        Tick(kafka.Tick, 10);
        Assert.True(lag.Observe() <= 3, "a healthy group is at most a message a partition behind");

        scenarios.Start(ScenarioCatalog.All.Single(s => s.Name == ScenarioCatalog.KafkaLag),
            new Dictionary<string, double> { [ScenarioCatalog.Duration.Name] = 900, [ScenarioCatalog.KafkaLagBurst] = 1500 });
        kafka.Tick();
        var burst = lag.Observe();
        Assert.InRange(burst, 1505, 1508);
        Tick(kafka.Tick, 20);

        Assert.Equal(burst + 100, lag.Observe());
    }

    private static void Tick(Action tick, int seconds)
    {
        for (var i = 0; i < seconds; i++)
        {
            tick();
        }
    }

    /// <summary>What a meter's instrument of that name records (counts of a histogram's measurements, sums of a gauge's).</summary>
    private sealed class Recorded : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(double Value, Dictionary<string, string?> Tags)> _measurements = [];

        public Recorded(string meter, string instrument)
        {
            _listener.InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == meter && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            };
            _listener.SetMeasurementEventCallback<double>((_, value, tags, _) => Add(value, tags));
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) => Add(value, tags));
            _listener.Start();
        }

        /// <summary>How many measurements carried that tag.</summary>
        public int Count(string tag, string value) => _measurements.Count(m => m.Tags.GetValueOrDefault(tag) == value);

        /// <summary>Reads the observable instruments once: the sum of what they report now.</summary>
        public double Observe()
        {
            _measurements.Clear();
            _listener.RecordObservableInstruments();
            return _measurements.Sum(m => m.Value);
        }

        private void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, string?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value?.ToString();
            }

            _measurements.Add((value, copy));
        }

        public void Dispose() => _listener.Dispose();
    }
}
