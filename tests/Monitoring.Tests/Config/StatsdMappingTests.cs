using System.Text.RegularExpressions;
using Monitoring.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Monitoring.Tests.Config;

/// <summary>
/// provisioning/statsd/mappings.yml against what Airflow 3.1.3 sends over plain StatsD, matched as statsd-exporter
/// v0.28.0 matches (statsd-exporter cannot run here; <see cref="StatsdGlobMapper"/> ports its glob matcher).
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
        { "airflow.pool.deferred_slots", null },
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
        var mapper = StatsdGlobMapper.Load(Repo.Path("provisioning", "statsd", "mappings.yml"));

        Assert.Equal(expected ?? "(dropped)", mapper.Map(sent));
    }

    [Fact]
    public void No_metric_lands_on_a_mapped_family_without_its_labels()
    {
        // An untagged twin left unmapped is exported under its escaped name: airflow.pool.open_slots becomes
        // airflow_pool_open_slots, the pool family itself, with no pool label (an empty legend, an alert with pool="").
        var mapper = StatsdGlobMapper.Load(Repo.Path("provisioning", "statsd", "mappings.yml"));
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

/// <summary>
/// statsd-exporter's glob matching, ported from prometheus/statsd_exporter v0.28.0 (pkg/mapper/fsm/fsm.go, AddState
/// and GetMapping; pkg/mapper/escape.go): one state per dot-separated component, <c>*</c> for one whole component; a
/// mapping's final state gets its result only when the mapping creates that state (a glob already built by an earlier,
/// longer mapping never matches); among the matches, the first mapping in file order wins. Unmapped names are exported
/// escaped (anything but letters, digits and '_' becomes '_').
/// </summary>
internal sealed class StatsdGlobMapper
{
    private readonly State _root = new();
    private readonly List<YamlMappingNode> _mappings = [];

    public static StatsdGlobMapper Load(string path)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        var mapper = new StatsdGlobMapper();
        var mappings = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("mappings")];
        foreach (var mapping in mappings.Children.OfType<YamlMappingNode>())
        {
            mapper.Add(mapping);
        }

        return mapper;
    }

    /// <summary>The exported family with its labels (<c>name{a=x,b=y}</c>), <c>(dropped)</c>, or the escaped name of an unmapped metric.</summary>
    public string Map(string metric)
    {
        var fields = metric.Split('.');
        (State State, string[] Captures)? best = null;
        Search(_root, fields, 0, [], ref best);
        if (best is not { } match)
        {
            return Regex.Replace(metric, "[^a-zA-Z0-9_]", "_");
        }

        var mapping = _mappings[match.State.Result!.Value];
        if (Scalar(mapping, "action") == "drop")
        {
            return "(dropped)";
        }

        string Expand(string value) => Regex.Replace(value, @"\$(\d+)", m => match.Captures[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - 1]);
        var labels = mapping.Children.TryGetValue(new YamlScalarNode("labels"), out var node)
            ? ((YamlMappingNode)node).Children.Select(l => $"{l.Key}={Expand(l.Value.ToString())}").Order(StringComparer.Ordinal).ToList()
            : [];
        var name = Expand(Scalar(mapping, "name")!);
        return labels.Count == 0 ? name : $"{name}{{{string.Join(',', labels)}}}";
    }

    private void Add(YamlMappingNode mapping)
    {
        var index = _mappings.Count;
        _mappings.Add(mapping);
        var fields = Scalar(mapping, "match")!.Split('.');
        var state = _root;
        for (var i = 0; i < fields.Length; i++)
        {
            if (!state.Transitions.TryGetValue(fields[i], out var next))
            {
                next = new State();
                state.Transitions[fields[i]] = next;
                if (i == fields.Length - 1)
                {
                    next.Result = index;
                }
            }

            state = next;
        }

        // As in AddState: the final state's priority is the last mapping that reached it, whoever set its result.
        state.Priority = index;
    }

    private static void Search(State state, string[] fields, int i, List<string> captures, ref (State State, string[] Captures)? best)
    {
        if (i == fields.Length)
        {
            if (state.Result is not null && (best is null || best.Value.State.Priority > state.Priority))
            {
                best = (state, [.. captures]);
            }

            return;
        }

        if (state.Transitions.TryGetValue(fields[i], out var exact) && fields[i] != "*")
        {
            Search(exact, fields, i + 1, captures, ref best);
        }

        if (state.Transitions.TryGetValue("*", out var any))
        {
            captures.Add(fields[i]);
            Search(any, fields, i + 1, captures, ref best);
            captures.RemoveAt(captures.Count - 1);
        }
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value.ToString() : null;

    private sealed class State
    {
        public Dictionary<string, State> Transitions { get; } = new(StringComparer.Ordinal);

        public int? Result { get; set; }

        public int Priority { get; set; }
    }
}
