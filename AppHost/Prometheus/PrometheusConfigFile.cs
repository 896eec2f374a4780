using YamlDotNet.RepresentationModel;

namespace Monitoring.AppHost;

/// <summary>
/// The checked-in <c>prometheus.yml</c>: the global intervals, the <c>file_sd</c> files the AppHost must write, and a
/// copy with other intervals (and capped rule files) for runs that shorten them.
/// </summary>
internal sealed class PrometheusConfigFile : YamlConfigFile
{
    /// <summary>Where generated target files live in the container; <c>prometheus.yml</c> points its jobs here.</summary>
    public const string TargetsDirectory = GeneratedFiles.ContainerPath + "/targets/";

    private PrometheusConfigFile(string path) : base(path, "Prometheus configuration")
    {
    }

    /// <summary><c>global.scrape_interval</c> (Prometheus' default is 1m).</summary>
    public string ScrapeInterval => GlobalValue("scrape_interval") ?? "1m";

    /// <summary><c>global.evaluation_interval</c> (Prometheus' default is 1m).</summary>
    public string EvaluationInterval => GlobalValue("evaluation_interval") ?? "1m";

    /// <summary>The names of the generated target files the configuration reads (<c>probes.json</c>, …).</summary>
    public IReadOnlyList<string> GeneratedTargetFiles => [.. Root.AllNodes.OfType<YamlScalarNode>()
        .Select(n => n.Value ?? "")
        .Where(v => v.StartsWith(TargetsDirectory, StringComparison.Ordinal))
        .Select(v => v[TargetsDirectory.Length..])
        .Distinct(StringComparer.Ordinal)];

    /// <summary>The rule files the configuration names under the config mount (globs are not expanded).</summary>
    /// <param name="mountPath">Where the config folder is mounted in the container.</param>
    /// <param name="hostDirectory">The config folder on the host.</param>
    /// <returns>Each file's path as the configuration names it, its path relative to the folder, and its host path.</returns>
    public IEnumerable<(string InContainer, string Relative, string OnHost)> RuleFiles(string mountPath, string hostDirectory) =>
        (Child<YamlSequenceNode>(Root, "rule_files")?.Children ?? []).OfType<YamlScalarNode>()
            .Select(n => n.Value ?? "")
            .Where(v => v.StartsWith(mountPath + "/", StringComparison.Ordinal) && !v.Contains('*', StringComparison.Ordinal))
            .Select(v => (v, v[(mountPath.Length + 1)..], System.IO.Path.Combine(hostDirectory, v[(mountPath.Length + 1)..])));

    /// <summary>Reads a configuration file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The file's content.</returns>
    /// <exception cref="InvalidOperationException">It is missing, not YAML, or not a mapping; the message names the file and line.</exception>
    public static PrometheusConfigFile Load(string path) => new(path);

    /// <summary>
    /// The configuration with other global intervals, everything else unchanged except <c>scrape_timeout</c>, the
    /// global one and each job's, which is lowered to the scrape interval when it is longer (Prometheus rejects a timeout longer than the interval), and
    /// the rule files named in <paramref name="ruleFiles"/>, which are replaced by their generated copies.
    /// </summary>
    /// <param name="scrapeInterval">The scrape interval.</param>
    /// <param name="evaluationInterval">The evaluation interval.</param>
    /// <param name="ruleFiles">Rule file paths as the configuration names them, mapped to the paths of their copies.</param>
    /// <returns>The YAML text.</returns>
    public string Generate(string scrapeInterval, string evaluationInterval, IReadOnlyDictionary<string, string> ruleFiles)
    {
        var global = Child<YamlMappingNode>(Root, "global");
        if (global is null)
        {
            global = [];
            Root.Children[new YamlScalarNode("global")] = global;
        }

        global.Children[new YamlScalarNode("scrape_interval")] = new YamlScalarNode(scrapeInterval);
        global.Children[new YamlScalarNode("evaluation_interval")] = new YamlScalarNode(evaluationInterval);
        // Every timeout, a job's own too, at most the interval.
        var jobs = (Child<YamlSequenceNode>(Root, "scrape_configs")?.Children ?? []).OfType<YamlMappingNode>();
        foreach (var scope in jobs.Prepend(global))
        {
            if (Child<YamlScalarNode>(scope, "scrape_timeout")?.Value is { } value
                && MonitoringOptions.TryParsePrometheusDuration(value, out var timeout)
                && MonitoringOptions.TryParsePrometheusDuration(scrapeInterval, out var interval)
                && timeout > interval)
            {
                scope.Children[new YamlScalarNode("scrape_timeout")] = new YamlScalarNode(scrapeInterval);
            }
        }

        foreach (var entry in (Child<YamlSequenceNode>(Root, "rule_files")?.Children ?? []).OfType<YamlScalarNode>())
        {
            if (entry.Value is { } path && ruleFiles.TryGetValue(path, out var copy))
            {
                entry.Value = copy;
            }
        }

        return Render($"with scrape_interval {scrapeInterval} and evaluation_interval {evaluationInterval}");
    }

    private string? GlobalValue(string key) =>
        Child<YamlMappingNode>(Root, "global") is { } global ? Child<YamlScalarNode>(global, key)?.Value : null;
}
