using System.Diagnostics.Metrics;

namespace Monitoring.Probes.Synthetic;

/// <summary>
/// Airflow-shaped series for machines where Airflow cannot run: exactly the names and labels statsd-exporter v0.28.0
/// makes, with <c>provisioning/statsd/mappings.yml</c>, of what Airflow 3.1.3 sends (the mapping cites where it sends
/// each metric), and only that: no task failure count, which 3.1.3's task runner does not send. As in
/// statsd-exporter, a series appears at its first observation (pkg/exporter/exporter.go:167-176): a DAG's first failed
/// run makes its failed series appear at count 1, never at 0 first. At the provisioned DAGs' cadence: a healthy Airflow
/// by default (<c>monitoring_heartbeat</c>, scheduled every minute, succeeding); the <c>airflow-*</c> scenarios break
/// it (<c>airflow-dag-failures</c> triggers <c>monitoring_fail_on_demand</c>, which fails each run, as the provisioned
/// one does). Served at
/// <see cref="MetricsPath"/>, scraped as job <c>airflow</c> only while the real Airflow is off; the AppHost marks that
/// target <c>synthetic="true"</c>, so every series and alert of it says it is not real.
/// </summary>
public sealed class SyntheticAirflow : IDisposable
{
    /// <summary>The meter of the synthetic Airflow series.</summary>
    public const string MeterName = "Monitoring.Probes.Synthetic.Airflow";

    /// <summary>Where the series are served.</summary>
    public const string MetricsPath = "/synthetic/airflow/metrics";

    /// <summary>The default pool of Airflow.</summary>
    public const string Pool = "default_pool";

    // Airflow's defaults, which the AppHost keeps: [core] parallelism and default_pool_task_slot_count.
    private const int PoolSlots = 128;
    private const int Parallelism = 32;
    // provisioning/airflow/dags/monitoring_heartbeat.py: schedule="* * * * *".
    private const int DagRunEverySeconds = 60;

    private readonly Meter _meter = new(MeterName);
    private readonly ScenarioRunner _scenarios;
    private readonly Counter<long> _schedulerHeartbeat;
    private readonly Counter<long> _triggererHeartbeat;
    private readonly Counter<long> _dagProcessorHeartbeat;
    private readonly Counter<long> _taskSuccesses;
    private readonly Histogram<double> _dagRunDuration;
    private readonly Histogram<double> _schedulingDelay;
    private readonly Histogram<double> _taskDuration;
    private long _ticks;
    private long _lastFailedRun = -1;

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
        _dagRunDuration = _meter.CreateHistogram("airflow_dagrun_duration_seconds", description: "DAG run duration, by state and DAG.", advice: buckets);
        _schedulingDelay = _meter.CreateHistogram("airflow_dagrun_first_task_scheduling_delay_seconds", description: "Delay before a run's first task.", advice: buckets);
        _taskDuration = _meter.CreateHistogram("airflow_task_duration_seconds", description: "Task duration, by DAG and task.", advice: buckets);

        Gauge("airflow_dag_processing_import_errors", "DAG files that failed to import.",
            () => _scenarios.ParameterOf(ScenarioCatalog.AirflowImportErrors, "errors") ?? 0);
        Gauge("airflow_dag_processing_total_parse_time_seconds", "Time to parse all DAG files.", () => 0.35);
        // As the scheduler sends them every pool_metrics_interval (5 s), whatever its passes do
        // (scheduler_job_runner.py, _emit_pool_metrics; models/pool.py, Pool.slots_stats: open is the slots less the
        // running and queued, scheduled the tasks ready and waiting). A saturated Airflow is tasks left scheduled
        // while the pool, or the executor (BaseExecutor._emit_metrics: parallelism less its running and queued), has
        // no open slot. No pool.starving_tasks: the scheduler sends it only for tasks that overflow a pool within one
        // pass, and for no pool full when the pass begins (_executable_task_instances_to_queued), so a saturated
        // Airflow sends none, or leaves an old value standing in statsd-exporter.
        Gauge("airflow_pool_open_slots", "Open slots of a pool.", () => PoolSlotsNow - Running, ("pool", Pool));
        Gauge("airflow_pool_queued_slots", "Queued slots of a pool.", () => 0, ("pool", Pool));
        Gauge("airflow_pool_running_slots", "Running slots of a pool.", () => Running, ("pool", Pool));
        Gauge("airflow_pool_scheduled_slots", "Scheduled slots of a pool.", () => Waiting, ("pool", Pool));
        Gauge("airflow_pool_deferred_slots", "Deferred slots of a pool.", () => 0, ("pool", Pool));
        Gauge("airflow_executor_open_slots", "Open executor slots.", () => Parallelism - Running);
        Gauge("airflow_executor_queued_tasks", "Tasks queued in the executor.", () => 0);
        Gauge("airflow_executor_running_tasks", "Tasks running in the executor.", () => Running);
    }

    // Tasks ready beyond what the pool and the executor can take wait, scheduled; without the scenario, the heartbeat's
    // task and another run.
    private double Waiting => _scenarios.ParameterOf(ScenarioCatalog.AirflowPoolStarving, "tasks") ?? 0;

    private double PoolSlotsNow => _scenarios.ParameterOf(ScenarioCatalog.AirflowPoolStarving, "poolSlots") ?? PoolSlots;

    private double Running => Waiting > 0 ? Math.Min(PoolSlotsNow, Parallelism) : 2;

    /// <summary>Advances the synthetic Airflow by one second.</summary>
    public void Tick()
    {
        var ticks = Interlocked.Increment(ref _ticks);
        if (!_scenarios.IsActive(ScenarioCatalog.AirflowSchedulerStopped))
        {
            _schedulerHeartbeat.Add(1);
        }

        _triggererHeartbeat.Add(1);
        _dagProcessorHeartbeat.Add(1);

        if (ticks % DagRunEverySeconds == 1)
        {
            RunDag("monitoring_heartbeat", "beat", success: true, scheduled: true);
        }

        // Triggered when the scenario starts, then every 'everySeconds' while it runs.
        if (_scenarios.ParameterOf(ScenarioCatalog.AirflowDagFailures, "everySeconds") is not { } every)
        {
            _lastFailedRun = -1;
        }
        else if (_lastFailedRun < 0 || (every > 0 && ticks - _lastFailedRun >= every))
        {
            _lastFailedRun = ticks;
            RunDag("monitoring_fail_on_demand", "fail", success: false, scheduled: false);
        }
    }

    private void RunDag(string dagId, string taskId, bool success, bool scheduled)
    {
        // The delay before the first task is sent for scheduled runs only (dagrun.py, _emit_true_scheduling_delay_stats_for_finished_state).
        if (scheduled)
        {
            _schedulingDelay.Record(0.2, new KeyValuePair<string, object?>("dag_id", dagId));
        }

        // The task runner times every finished task (task_runner.py, finalize) and counts only the successes.
        if (success)
        {
            _taskSuccesses.Add(1);
        }

        _taskDuration.Record(success ? 2.0 : 0.5, new("dag_id", dagId), new("task_id", taskId));
        _dagRunDuration.Record(success ? 2.5 : 1.0, new("state", success ? "success" : "failed"), new("dag_id", dagId));
    }

    private void Gauge(string name, string description, Func<double> value, params (string Key, string Value)[] labels) =>
        _meter.CreateObservableGauge(name, () => new Measurement<double>(value(), [.. labels.Select(l => new KeyValuePair<string, object?>(l.Key, l.Value))]), description: description);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
