using System.Diagnostics.Metrics;

namespace Monitoring.Probes.Synthetic;

/// <summary>
/// Airflow-shaped series for machines where Airflow cannot run: exactly the names and labels statsd-exporter makes of
/// Airflow's StatsD metrics with <c>provisioning/statsd/mappings.yml</c>, plus <c>synthetic="true"</c> on every
/// series. A healthy Airflow by default (the DAG <c>monitoring_heartbeat</c> succeeding every 10 s); the <c>airflow-*</c> scenarios
/// break it. Served at <see cref="MetricsPath"/>, scraped as job <c>airflow</c> only while the real Airflow is off.
/// </summary>
public sealed class SyntheticAirflow : IDisposable
{
    /// <summary>The meter of the synthetic Airflow series.</summary>
    public const string MeterName = "Monitoring.Probes.Synthetic.Airflow";

    /// <summary>Where the series are served.</summary>
    public const string MetricsPath = "/synthetic/airflow/metrics";

    /// <summary>The default pool of Airflow.</summary>
    public const string Pool = "default_pool";

    private const int PoolSlots = 128;
    private const int DagRunEverySeconds = 10;

    private readonly Meter _meter = new(MeterName);
    private readonly ScenarioRunner _scenarios;
    private readonly Counter<long> _schedulerHeartbeat;
    private readonly Counter<long> _triggererHeartbeat;
    private readonly Counter<long> _dagProcessorHeartbeat;
    private readonly Counter<long> _taskSuccesses;
    private readonly Counter<long> _taskFailures;
    private readonly Counter<long> _taskFinished;
    private readonly Histogram<double> _dagRunDuration;
    private readonly Histogram<double> _schedulingDelay;
    private readonly Histogram<double> _taskDuration;
    private long _ticks;

    /// <summary>Creates the instruments.</summary>
    /// <param name="scenarios">The running scenarios, which decide what breaks.</param>
    public SyntheticAirflow(ScenarioRunner scenarios)
    {
        _scenarios = scenarios;
        var buckets = new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800] };
        _schedulerHeartbeat = _meter.CreateCounter<long>("airflow_scheduler_heartbeat", description: "Scheduler heartbeats.");
        _triggererHeartbeat = _meter.CreateCounter<long>("airflow_triggerer_heartbeat", description: "Triggerer heartbeats.");
        _dagProcessorHeartbeat = _meter.CreateCounter<long>("airflow_dag_processor_heartbeat", description: "DAG processor heartbeats.");
        _taskSuccesses = _meter.CreateCounter<long>("airflow_ti_successes", description: "Task instances that succeeded.");
        _taskFailures = _meter.CreateCounter<long>("airflow_ti_failures", description: "Task instances that failed.");
        _taskFinished = _meter.CreateCounter<long>("airflow_ti_finish", description: "Task instances finished, by DAG, task and state.");
        _dagRunDuration = _meter.CreateHistogram("airflow_dagrun_duration_seconds", description: "DAG run duration, by state and DAG.", advice: buckets);
        _schedulingDelay = _meter.CreateHistogram("airflow_dagrun_first_task_scheduling_delay_seconds", description: "Delay before a run's first task.", advice: buckets);
        _taskDuration = _meter.CreateHistogram("airflow_task_duration_seconds", description: "Task duration, by DAG and task.", advice: buckets);

        Gauge("airflow_dag_processing_import_errors", "DAG files that failed to import.",
            () => _scenarios.ParameterOf(ScenarioCatalog.AirflowImportErrors, "errors") ?? 0);
        Gauge("airflow_dag_processing_total_parse_time_seconds", "Time to parse all DAG files.", () => 0.35);
        Gauge("airflow_pool_open_slots", "Open slots of a pool.", () => Starving is null ? PoolSlots - 2 : 0, ("pool", Pool));
        Gauge("airflow_pool_queued_slots", "Queued slots of a pool.", () => Starving ?? 0, ("pool", Pool));
        Gauge("airflow_pool_running_slots", "Running slots of a pool.", () => Starving is null ? 2 : PoolSlots, ("pool", Pool));
        Gauge("airflow_pool_starving_tasks", "Tasks waiting for slots of a pool.", () => Starving ?? 0, ("pool", Pool));
        Gauge("airflow_executor_open_slots", "Open executor slots.", () => Starving is null ? 30 : 0);
        Gauge("airflow_executor_queued_tasks", "Tasks queued in the executor.", () => Starving ?? 0);
        Gauge("airflow_executor_running_tasks", "Tasks running in the executor.", () => Starving is null ? 2 : 32);

        // Present from the start, as a quiet Airflow's would be after its first failure: the failure ratio is 0, not absent.
        _taskFailures.Add(0, Synthetic);
    }

    private double? Starving => _scenarios.ParameterOf(ScenarioCatalog.AirflowPoolStarving, "tasks");

    /// <summary>Advances the synthetic Airflow by one second.</summary>
    public void Tick()
    {
        var ticks = Interlocked.Increment(ref _ticks);
        if (!_scenarios.IsActive(ScenarioCatalog.AirflowSchedulerStopped))
        {
            _schedulerHeartbeat.Add(1, Synthetic);
        }

        _triggererHeartbeat.Add(1, Synthetic);
        _dagProcessorHeartbeat.Add(1, Synthetic);

        if (_scenarios.IsActive(ScenarioCatalog.AirflowTaskFailures))
        {
            FinishTask("monitoring_heartbeat", "beat", success: false, count: 2);
        }

        if (ticks % DagRunEverySeconds != 1)
        {
            return;
        }

        RunDag("monitoring_heartbeat", "beat", success: true);
        if (_scenarios.IsActive(ScenarioCatalog.AirflowDagFailures))
        {
            RunDag("monitoring_fail_on_demand", "fail", success: false);
        }
    }

    private void RunDag(string dagId, string taskId, bool success)
    {
        _schedulingDelay.Record(0.2, Synthetic, new("dag_id", dagId));
        FinishTask(dagId, taskId, success, count: 1);
        _dagRunDuration.Record(success ? 2.5 : 1.0, Synthetic, new("state", success ? "success" : "failed"), new("dag_id", dagId));
    }

    private void FinishTask(string dagId, string taskId, bool success, int count)
    {
        (success ? _taskSuccesses : _taskFailures).Add(count, Synthetic);
        _taskFinished.Add(count, Synthetic, new("dag_id", dagId), new("task_id", taskId), new("state", success ? "success" : "failed"));
        _taskDuration.Record(success ? 2.0 : 0.5, Synthetic, new("dag_id", dagId), new("task_id", taskId));
    }

    private void Gauge(string name, string description, Func<double> value, params (string Key, string Value)[] labels) =>
        _meter.CreateObservableGauge(name, () => new Measurement<double>(value(), [Synthetic, .. labels.Select(l => new KeyValuePair<string, object?>(l.Key, l.Value))]), description: description);

    /// <summary>The label that marks every synthetic series.</summary>
    internal static readonly KeyValuePair<string, object?> Synthetic = new("synthetic", "true");

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
