using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Monitoring.Tests.Config;

/// <summary>
/// statsd-exporter's mapper, ported from prometheus/statsd_exporter v0.28.0 for what a mapping file of this stack uses
/// (statsd-exporter cannot run here), and held to upstream by <see cref="StatsdMapperTests"/>, the cases of its own
/// mapper tests:
/// <list type="bullet">
/// <item>glob mappings (pkg/mapper/fsm/fsm.go, AddState and GetMapping): one state per dot-separated component,
/// <c>*</c> for one whole component; a mapping's final state gets its result only when the mapping creates that state
/// (a glob already built by an earlier, longer mapping never matches); among the matches, the first in file order
/// wins. Their <c>$n</c> and <c>${n}</c> are filled as pkg/mapper/fsm/formatter.go does: anything else, or a capture
/// out of range, becomes empty (<c>$1_foo</c> is the capture "1_foo": empty).</item>
/// <item>regex mappings (<c>match_type: regex</c>), tried in file order only when no glob matches
/// (pkg/mapper/mapper.go l. 308-340, 341-385), unanchored, with Go's <c>Regexp.ExpandString</c> for name and labels.</item>
/// <item>unmapped names, exported escaped (pkg/mapper/escape.go): anything but letters, digits and '_' becomes '_', a
/// second '-' in a row is dropped, and a leading digit gets a '_' before it.</item>
/// </list>
/// A file statsd-exporter refuses at load (a partial glob such as <c>a.b*.c</c>, a one-letter label key, a mapping
/// without a name or with a bad one, a bad enumeration, a regex that does not compile) is refused here too
/// (<see cref="FormatException"/>, with the mapping's line). Not ported: the summary and histogram options' conflicts
/// (no observer options are read here), and RE2's own syntax beyond named groups (.NET accepts lookarounds and
/// backreferences that RE2 refuses, and refuses <c>\Q…\E</c>). <c>glob_disable_ordering</c> and
/// <c>match_metric_type</c> do not change a mapping here: no mapping file here uses them.
/// </summary>
internal sealed partial class StatsdMapper
{
    private readonly State _root = new();
    private readonly List<YamlMappingNode> _mappings = [];
    private readonly List<(int Index, Regex Regex)> _regexes = [];

    public static StatsdMapper Load(string path) => Parse(File.ReadAllText(path));

    public static StatsdMapper Parse(string yamlText)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(yamlText));
        var mapper = new StatsdMapper();
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            return mapper;
        }

        string? defaultMatchType = null;
        if (root.Children.TryGetValue(new YamlScalarNode("defaults"), out var defaults) && defaults is YamlMappingNode d)
        {
            CheckEnumerations(d, $"defaults (line {d.Start.Line})");
            defaultMatchType = Scalar(d, "match_type");
        }

        if (root.Children.TryGetValue(new YamlScalarNode("mappings"), out var mappings) && mappings is YamlSequenceNode list)
        {
            foreach (var mapping in list.Children.OfType<YamlMappingNode>())
            {
                mapper.Add(mapping, defaultMatchType);
            }
        }

        return mapper;
    }

    /// <summary>The exported family with its labels (<c>name{a=x,b=y}</c>), <c>(dropped)</c>, or the escaped name of an unmapped metric.</summary>
    public string Map(string metric)
    {
        var fields = metric.Split('.');
        (State State, string[] Captures)? best = null;
        Search(_root, fields, 0, [], ref best);
        if (best is { } glob)
        {
            var captures = glob.Captures;
            return Result(_mappings[glob.State.Result!.Value], template => GlobTemplate().Replace(template, m =>
                int.TryParse(m.Groups[1].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i >= 1 && i <= captures.Length
                    ? captures[i - 1]
                    : ""));
        }

        foreach (var (index, regex) in _regexes)
        {
            var match = regex.Match(metric);
            if (match.Success)
            {
                return Result(_mappings[index], template => Expand(regex, match, template));
            }
        }

        return Escape(metric);
    }

    private static string Result(YamlMappingNode mapping, Func<string, string> format)
    {
        if (Scalar(mapping, "action") == "drop")
        {
            return "(dropped)";
        }

        var labels = mapping.Children.TryGetValue(new YamlScalarNode("labels"), out var node)
            ? ((YamlMappingNode)node).Children.Select(l => $"{l.Key}={format(l.Value.ToString())}").Order(StringComparer.Ordinal).ToList()
            : [];
        var name = format(Scalar(mapping, "name")!);
        return labels.Count == 0 ? name : $"{name}{{{string.Join(',', labels)}}}";
    }

    /// <summary>
    /// Go's <c>Regexp.ExpandString</c>: <c>$$</c> is a <c>$</c>; <c>$name</c> takes the longest run of letters, digits and
    /// '_' (so <c>$1x</c> is the group "1x"), <c>${name}</c> what the braces hold; a number is a group's index; a group
    /// that does not exist or did not match gives nothing.
    /// </summary>
    private static string Expand(Regex regex, Match match, string template) => GoExpansion().Replace(template, m =>
    {
        if (m.Value == "$$")
        {
            return "$";
        }

        var name = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
        var group = int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            ? (index < regex.GetGroupNumbers().Length ? match.Groups[index] : null)
            : (regex.GroupNumberFromName(name) >= 0 ? match.Groups[name] : null);
        return group is { Success: true } ? group.Value : "";
    });

    private static string Escape(string metric)
    {
        var escaped = new StringBuilder();
        if (metric.Length > 0 && char.IsAsciiDigit(metric[0]))
        {
            escaped.Append('_');
        }

        var previous = '\0';
        foreach (var c in metric)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                escaped.Append(c);
            }
            else if (!(c == '-' && previous == '-'))
            {
                escaped.Append('_');
            }

            previous = c;
        }

        return escaped.ToString();
    }

    /// <summary>
    /// Refuses a mapping statsd-exporter v0.28.0 refuses when it loads the file, and then does not start
    /// (pkg/mapper/mapper.go, InitFromYAMLString, l. 113-172; the types' UnmarshalYAML in action.go, match.go,
    /// observer.go, metric_type.go), with the mapping's line in the file.
    /// </summary>
    private static void Check(YamlMappingNode mapping, int index, string? defaultMatchType)
    {
        var line = $"mapping {index} (line {mapping.Start.Line})";
        if (mapping.Children.TryGetValue(new YamlScalarNode("labels"), out var labels) && labels is YamlMappingNode labelMap)
        {
            foreach (var key in labelMap.Children.Keys.Select(k => k.ToString()).Where(k => !LabelName().IsMatch(k)))
            {
                throw new FormatException($"{line}: invalid label key: {key}");
            }
        }

        var name = Scalar(mapping, "name");
        if (string.IsNullOrEmpty(name))
        {
            throw new FormatException($"{line}: metric mapping didn't set a metric name");
        }

        if (!MetricName().IsMatch(name))
        {
            throw new FormatException($"{line}: metric name '{name}' doesn't match regex '{MetricName()}'");
        }

        CheckEnumerations(mapping, line);

        var match = Scalar(mapping, "match") ?? "";
        if ((Scalar(mapping, "match_type") ?? defaultMatchType) == "regex")
        {
            try
            {
                _ = GoRegex(match);
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"{line}: invalid regex {match} in mapping: {e.Message}", e);
            }
        }
        else if (!MetricLine().IsMatch(match))
        {
            throw new FormatException($"{line}: invalid match: {match}");
        }
    }

    // The values each type's UnmarshalYAML accepts ("" is the default; a metric type has none).
    private static readonly (string Key, string[] Allowed)[] s_enumerations =
    [
        ("action", ["", "map", "drop"]), ("match_type", ["", "glob", "regex"]), ("observer_type", ["", "histogram", "summary"]),
        ("timer_type", ["", "histogram", "summary"]), ("match_metric_type", ["counter", "gauge", "observer", "timer"]),
    ];

    private static void CheckEnumerations(YamlMappingNode node, string where)
    {
        foreach (var (key, allowed) in s_enumerations)
        {
            if (Scalar(node, key) is { } value && !allowed.Contains(value))
            {
                throw new FormatException($"{where}: invalid {key.Replace('_', ' ')} '{value}'");
            }
        }
    }

    /// <summary>A regex match as Go's RE2 names its groups too (<c>(?P&lt;name&gt;…)</c>, which .NET spells <c>(?&lt;name&gt;…)</c>).</summary>
    private static Regex GoRegex(string pattern) => new(pattern.Replace("(?P<", "(?<", StringComparison.Ordinal), RegexOptions.CultureInvariant);

    private void Add(YamlMappingNode mapping, string? defaultMatchType)
    {
        var index = _mappings.Count;
        Check(mapping, index, defaultMatchType);
        _mappings.Add(mapping);
        if ((Scalar(mapping, "match_type") ?? defaultMatchType) == "regex")
        {
            _regexes.Add((index, GoRegex(Scalar(mapping, "match")!)));
            return;
        }

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

    // pkg/mapper/mapper.go l. 32-42: metricLineRE, metricNameRE, labelNameRE, as Go reads them: its '$' (no
    // multi-line flag) is the end of the text, .NET's '\z' (.NET's '$' also matches before a final newline), and its
    // '\d' is ASCII only.
    [GeneratedRegex(@"^(\*|[a-zA-Z_]([a-zA-Z0-9_\-])*)(\.\*|\.[a-zA-Z0-9_]([a-zA-Z0-9_\-])*)*\z")]
    private static partial Regex MetricLine();

    [GeneratedRegex(@"^([a-zA-Z_]|(\$\{?[0-9]+\}?))([a-zA-Z0-9_]|(\$\{?[0-9]+\}?))*\z")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"^[a-zA-Z_][a-zA-Z0-9_]+\z")]
    private static partial Regex LabelName();

    // pkg/mapper/fsm/formatter.go, templateReplaceCaptureRE.
    [GeneratedRegex(@"\$\{?([a-zA-Z0-9_\$]+)\}?")]
    private static partial Regex GlobTemplate();

    [GeneratedRegex(@"\$\$|\$\{(\w+)\}|\$(\w+)")]
    private static partial Regex GoExpansion();

    private sealed class State
    {
        public Dictionary<string, State> Transitions { get; } = new(StringComparer.Ordinal);

        public int? Result { get; set; }

        public int Priority { get; set; }
    }
}
