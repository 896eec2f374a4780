using YamlDotNet.RepresentationModel;

namespace Monitoring.AppHost;

/// <summary>A checked-in Prometheus rule file, and a copy of it whose alerts wait less before they fire.</summary>
internal sealed class PrometheusRuleFile : YamlConfigFile
{
    private PrometheusRuleFile(string path) : base(path, "Prometheus rule file")
    {
    }

    /// <summary>Reads a rule file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The file's content.</returns>
    /// <exception cref="InvalidOperationException">It is missing, not YAML, or not a mapping; the message names the file and line.</exception>
    public static PrometheusRuleFile Load(string path) => new(path);

    /// <summary>
    /// The rules with every alert's <c>for</c> lowered to <paramref name="maxFor"/> where it is longer; expressions,
    /// labels and annotations are unchanged. Tests use it so alerts fire within seconds.
    /// </summary>
    /// <param name="maxFor">The longest <c>for</c>, a Prometheus duration.</param>
    /// <returns>The YAML text.</returns>
    public string WithMaxFor(string maxFor)
    {
        if (!MonitoringOptions.TryParsePrometheusDuration(maxFor, out var max))
        {
            throw new ArgumentException($"'{maxFor}' is not a Prometheus duration.", nameof(maxFor));
        }

        var rules = (Child<YamlSequenceNode>(Root, "groups")?.Children ?? []).OfType<YamlMappingNode>()
            .SelectMany(g => Child<YamlSequenceNode>(g, "rules")?.Children ?? []).OfType<YamlMappingNode>();
        foreach (var rule in rules)
        {
            if (Child<YamlScalarNode>(rule, "for") is { } duration
                && MonitoringOptions.TryParsePrometheusDuration(duration.Value, out var value) && value > max)
            {
                duration.Value = maxFor;
            }
        }

        return Render($"with every alert's 'for' at most {maxFor}");
    }
}
