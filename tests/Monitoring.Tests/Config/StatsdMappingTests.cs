using System.Text.RegularExpressions;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Config;

/// <summary>
/// provisioning/statsd/mappings.yml against what Airflow 3.1.3 sends over plain StatsD, matched as statsd-exporter
/// v0.28.0 matches (statsd-exporter cannot run here; <see cref="StatsdMapper"/> ports its glob matcher).
/// </summary>
public partial class StatsdMappingTests
{
    /// <summary>
    /// What Airflow 3.1.3 sends with prefix <c>airflow</c> for this stack's DAGs and pool, and what statsd-exporter must
    /// make of it: a metric and its labels, or nothing (dropped). The untagged twins are the same metrics sent again
    /// for their tags, which plain StatsD drops (airflow-core metrics/statsd_logger.py).
    /// </summary>
    public static TheoryData<string, string?> AirflowSends() => new()
    {
        { "airflow.scheduler_heartbeat", "airflow_scheduler_heartbeat_total" },
        { "airflow.triggerer_heartbeat", "airflow_triggerer_heartbeat_total" },
        { "airflow.dag_processor_heartbeat", "airflow_dag_processor_heartbeat_total" },
        { "airflow.dagrun.duration.failed.monitoring_fail_on_demand", "airflow_dagrun_duration_seconds{dag_id=monitoring_fail_on_demand,state=failed}" },
        { "airflow.dagrun.duration.success.monitoring_heartbeat", "airflow_dagrun_duration_seconds{dag_id=monitoring_heartbeat,state=success}" },
        { "airflow.dagrun.duration.failed", null },
        { "airflow.dagrun.monitoring_heartbeat.first_task_scheduling_delay", "airflow_dagrun_first_task_scheduling_delay_seconds{dag_id=monitoring_heartbeat}" },
        { "airflow.dagrun.first_task_scheduling_delay", null },
        { "airflow.ti_successes", "airflow_ti_successes_total" },
        { "airflow.ti_failures", "airflow_ti_failures_total" },
        { "airflow.dag.monitoring_heartbeat.beat.duration", "airflow_task_duration_seconds{dag_id=monitoring_heartbeat,task_id=beat}" },
        { "airflow.task.duration", null },
        { "airflow.dag_processing.import_errors", "airflow_dag_processing_import_errors" },
        { "airflow.dag_processing.total_parse_time", "airflow_dag_processing_total_parse_time_seconds" },
        { "airflow.pool.open_slots.default_pool", "airflow_pool_open_slots{pool=default_pool}" },
        { "airflow.pool.open_slots", null },
        { "airflow.pool.queued_slots.default_pool", "airflow_pool_queued_slots{pool=default_pool}" },
        { "airflow.pool.queued_slots", null },
        { "airflow.pool.running_slots.default_pool", "airflow_pool_running_slots{pool=default_pool}" },
        { "airflow.pool.running_slots", null },
        { "airflow.pool.deferred_slots.default_pool", "airflow_pool_deferred_slots{pool=default_pool}" },
        { "airflow.pool.deferred_slots", null },
        { "airflow.pool.scheduled_slots.default_pool", "airflow_pool_scheduled_slots{pool=default_pool}" },
        { "airflow.pool.scheduled_slots", null },
        { "airflow.pool.starving_tasks.default_pool", "airflow_pool_starving_tasks{pool=default_pool}" },
        { "airflow.pool.starving_tasks", null },
        { "airflow.executor.open_slots", "airflow_executor_open_slots" },
        { "airflow.executor.queued_tasks", "airflow_executor_queued_tasks" },
        { "airflow.executor.running_tasks", "airflow_executor_running_tasks" },
    };

    [Theory]
    [MemberData(nameof(AirflowSends))]
    public void Each_metric_airflow_sends_becomes_its_labelled_family_or_is_dropped(string sent, string? expected)
    {
        var mapper = StatsdMapper.Load(Repo.Path("provisioning", "statsd", "mappings.yml"));

        Assert.Equal(expected ?? "(dropped)", mapper.Map(sent));
    }

    /// <summary>
    /// Ids with dots, named as Airflow 3.1.3 names them: a task in a TaskGroup is <c>group.task</c> (nested groups add a
    /// part each: task-sdk definitions/taskgroup.py, TaskGroup.child_id), a DAG id may hold dots (definitions/_internal/
    /// node.py, validate_key: <c>[A-Za-z0-9_.-]</c>), and the metric names are Airflow's f-strings (dagrun.py,
    /// task_runner.py). A glob's <c>*</c> takes one part only: these reach their families through the regex mappings,
    /// with the whole ids, where before they fell through to default names (and a failed run of such a DAG to no alert).
    /// A pool's name may hold dots too (models/pool.py, Pool.pool: any string): the <c>pool:</c> rows pass it as the
    /// second value.
    /// </summary>
    public static TheoryData<string, string, string?, string> IdsWithDots() => new()
    {
        // A task in a group, and in a group in a group, of a DAG without dots: the DAG id is the first part.
        { "task", "etl", "extract.orders", "airflow_task_duration_seconds{dag_id=etl,task_id=extract.orders}" },
        { "task", "etl", "extract.daily.orders", "airflow_task_duration_seconds{dag_id=etl,task_id=extract.daily.orders}" },
        // A DAG id with dots: its runs and their delay keep it whole.
        { "run-failed", "team.nightly-etl", null, "airflow_dagrun_duration_seconds{dag_id=team.nightly-etl,state=failed}" },
        { "run-success", "team.nightly-etl", null, "airflow_dagrun_duration_seconds{dag_id=team.nightly-etl,state=success}" },
        { "delay", "team.nightly-etl", null, "airflow_dagrun_first_task_scheduling_delay_seconds{dag_id=team.nightly-etl}" },
        // A DAG id that is, or starts with, "duration": its delay is not taken for a run's duration (nor dropped as the
        // untagged twin dagrun.duration.<state>), and its runs keep the whole id.
        { "delay", "duration", null, "airflow_dagrun_first_task_scheduling_delay_seconds{dag_id=duration}" },
        { "delay", "duration.x", null, "airflow_dagrun_first_task_scheduling_delay_seconds{dag_id=duration.x}" },
        { "delay", "duration.x.y", null, "airflow_dagrun_first_task_scheduling_delay_seconds{dag_id=duration.x.y}" },
        { "run-success", "duration", null, "airflow_dagrun_duration_seconds{dag_id=duration,state=success}" },
        { "run-failed", "duration.x", null, "airflow_dagrun_duration_seconds{dag_id=duration.x,state=failed}" },
        // Airflow's one ambiguity here (docs/dashboards.md): the delay of a DAG whose id starts with "duration.<state>"
        // is the very name of another DAG's run duration, and is read as that.
        { "delay", "duration.success", null, "airflow_dagrun_duration_seconds{dag_id=first_task_scheduling_delay,state=success}" },
        { "delay", "duration.failed.x", null, "airflow_dagrun_duration_seconds{dag_id=x.first_task_scheduling_delay,state=failed}" },
        // A pool whose name has dots keeps it whole, on each pool metric.
        { "pool:open_slots", "team.etl", null, "airflow_pool_open_slots{pool=team.etl}" },
        { "pool:queued_slots", "team.etl", null, "airflow_pool_queued_slots{pool=team.etl}" },
        { "pool:running_slots", "team.etl", null, "airflow_pool_running_slots{pool=team.etl}" },
        { "pool:scheduled_slots", "team.etl", null, "airflow_pool_scheduled_slots{pool=team.etl}" },
        { "pool:deferred_slots", "team.etl", null, "airflow_pool_deferred_slots{pool=team.etl}" },
        { "pool:starving_tasks", "a.b.c", null, "airflow_pool_starving_tasks{pool=a.b.c}" },
    };

    [Theory]
    [MemberData(nameof(IdsWithDots))]
    public void Ids_with_dots_reach_their_family_whole(string kind, string dagId, string? taskId, string expected)
    {
        var mapper = StatsdMapper.Load(Repo.Path("provisioning", "statsd", "mappings.yml"));
        // Airflow's f-strings, with the "airflow" prefix its StatsD client adds.
        var sent = "airflow." + kind switch
        {
            "task" => $"dag.{dagId}.{taskId}.duration",
            "run-failed" => $"dagrun.duration.failed.{dagId}",
            "run-success" => $"dagrun.duration.success.{dagId}",
            // scheduler_job_runner.py, _emit_pool_metrics and _executable_task_instances_to_queued: f"pool.{metric}.{pool_name}"
            _ when kind.StartsWith("pool:", StringComparison.Ordinal) => $"pool.{kind["pool:".Length..]}.{dagId}",
            _ => $"dagrun.{dagId}.first_task_scheduling_delay",
        };

        Assert.Equal(expected, mapper.Map(sent));
    }

    [Fact]
    public void No_metric_lands_on_a_mapped_family_without_its_labels()
    {
        // An untagged twin left unmapped is exported under its escaped name: airflow.pool.open_slots becomes
        // airflow_pool_open_slots, the pool family itself, with no pool label (an empty legend, an alert with pool="").
        var mapper = StatsdMapper.Load(Repo.Path("provisioning", "statsd", "mappings.yml"));
        var sent = AirflowSends().Select(row => row.Data.Item1).ToList();
        var families = sent.Select(mapper.Map).Where(m => m.Contains('{', StringComparison.Ordinal)).Select(m => m[..m.IndexOf('{', StringComparison.Ordinal)]).ToHashSet();

        var colliding = sent.Where(s => families.Contains(mapper.Map(s))).ToList();
        Assert.True(colliding.Count == 0, $"Exported without their labels onto a labelled family: {string.Join(", ", colliding)}");
    }

    [Fact]
    public void Every_match_names_where_airflow_sends_it()
    {
        var lines = File.ReadAllLines(Repo.Path("provisioning", "statsd", "mappings.yml"));
        var uncited = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].TrimStart().StartsWith("- match:", StringComparison.Ordinal))
            {
                continue;
            }

            // The comment lines right above it.
            var comment = lines.Take(i).Reverse().TakeWhile(l => l.TrimStart().StartsWith('#'));
            if (!comment.Any(UpstreamSource().IsMatch))
            {
                uncited.Add($"line {i + 1}: {lines[i].Trim()}");
            }
        }

        Assert.True(uncited.Count == 0, $"mappings.yml matches without a comment right above naming the Airflow source and function: {string.Join("; ", uncited)}");
    }

    // "scheduler_job_runner.py, _emit_pool_metrics: Stats.gauge(...)": a Python file, then what in it sends the metric.
    [GeneratedRegex(@"\w+\.py, [\w.]+: Stats\.(incr|gauge|timing)\(")]
    private static partial Regex UpstreamSource();
}
