using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Monitoring.Tests.Kubernetes;

/// <summary>
/// The <c>job</c> and <c>kind</c> values that rules and dashboards select, and those the exported ServiceMonitors and
/// Probes give their targets: a selector that no exported object produces would match nothing on the cluster.
/// </summary>
internal static partial class ClusterSelectors
{
    /// <summary>The labels the stack's rules and dashboards select targets by.</summary>
    private static readonly string[] s_labels = ["job", "kind"];

    /// <summary>Each literal value a PromQL expression selects for <c>job</c> or <c>kind</c> (<c>=</c>, or each alternative of a plain <c>=~</c>).</summary>
    /// <param name="expr">The expression.</param>
    /// <returns>The label and value pairs.</returns>
    public static IEnumerable<(string Label, string Value)> Selected(string expr)
    {
        foreach (Match m in Matcher().Matches(expr))
        {
            var (label, op, value) = (m.Groups["label"].Value, m.Groups["op"].Value, m.Groups["value"].Value);
            if (!s_labels.Contains(label) || op.StartsWith('!') || value.Contains('$'))
            {
                // A dashboard variable ($job): its values come from the variable's query, whose own selectors are checked.
                continue;
            }

            var alternatives = op == "=~" ? value.Split('|') : [value];
            foreach (var alternative in alternatives.Where(a => a.Length > 0 && !a.Any(c => @".*+?()[]{}^\".Contains(c))))
            {
                yield return (label, alternative);
            }
        }
    }

    /// <summary>The label and value pairs the exported objects give their targets.</summary>
    /// <param name="export">The export.</param>
    /// <returns>The pairs.</returns>
    public static ISet<(string Label, string Value)> Produced(ExportedCluster export)
    {
        var produced = new HashSet<(string, string)>();
        foreach (var monitor in export.Objects("ServiceMonitor"))
        {
            foreach (var relabeling in ((JsonArray)monitor["spec"]!["endpoints"]!).SelectMany(e => (JsonArray?)e!["relabelings"] ?? []))
            {
                var action = relabeling!["action"]?.GetValue<string>() ?? "replace";
                if (action == "replace" && relabeling["targetLabel"]?.GetValue<string>() is { } target && relabeling["sourceLabels"] is null
                    && relabeling["replacement"]?.GetValue<string>() is { } replacement)
                {
                    produced.Add((target, replacement));
                }
            }
        }

        foreach (var probe in export.Objects("Probe"))
        {
            produced.Add(("job", probe["spec"]!["jobName"]!.GetValue<string>()));
        }

        return produced;
    }

    /// <summary>Every expression of a dashboard: panel queries and variable queries.</summary>
    /// <param name="dashboard">The dashboard's JSON.</param>
    /// <returns>The expressions.</returns>
    public static IEnumerable<string> DashboardExpressions(JsonNode? dashboard) => dashboard switch
    {
        JsonObject o => o.SelectMany(p => p.Key is "expr" or "query" or "definition" && p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? [s] : DashboardExpressions(p.Value)),
        JsonArray a => a.SelectMany(DashboardExpressions),
        _ => [],
    };

    [GeneratedRegex(@"\b(?<label>[a-zA-Z_]\w*)\s*(?<op>=~|!~|!=|=)\s*""(?<value>[^""]*)""")]
    private static partial Regex Matcher();
}
