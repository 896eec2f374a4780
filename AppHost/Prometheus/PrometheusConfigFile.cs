using YamlDotNet.RepresentationModel;

namespace Monitoring.AppHost;

/// <summary>
/// The checked-in <c>prometheus.yml</c>: the global intervals, the <c>file_sd</c> files the AppHost must write, and a
/// copy with other intervals for runs that shorten them.
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

    /// <summary>The rule files the configuration names, as host paths (those under the config mount; globs are not expanded).</summary>
    /// <param name="mountPath">Where the config folder is mounted in the container.</param>
    /// <param name="hostDirectory">The config folder on the host.</param>
    /// <returns>The host paths.</returns>
    public IEnumerable<string> RuleFiles(string mountPath, string hostDirectory) =>
        (Child<YamlSequenceNode>(Root, "rule_files")?.Children ?? []).OfType<YamlScalarNode>()
            .Select(n => n.Value ?? "")
            .Where(v => v.StartsWith(mountPath + "/", StringComparison.Ordinal) && !v.Contains('*', StringComparison.Ordinal))
            .Select(v => System.IO.Path.Combine(hostDirectory, v[(mountPath.Length + 1)..]));

    /// <summary>Reads a configuration file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The file's content.</returns>
    /// <exception cref="InvalidOperationException">It is missing, not YAML, or not a mapping; the message names the file and line.</exception>
    public static PrometheusConfigFile Load(string path) => new(path);

    /// <summary>
    /// The configuration with other global intervals, everything else unchanged except <c>scrape_timeout</c>, which is
    /// lowered to the scrape interval when it is longer (Prometheus rejects a timeout longer than the interval).
    /// </summary>
    /// <param name="scrapeInterval">The scrape interval.</param>
    /// <param name="evaluationInterval">The evaluation interval.</param>
    /// <returns>The YAML text.</returns>
    public string WithIntervals(string scrapeInterval, string evaluationInterval)
    {
        var global = Child<YamlMappingNode>(Root, "global");
        if (global is null)
        {
            global = [];
            Root.Children[new YamlScalarNode("global")] = global;
        }

        global.Children[new YamlScalarNode("scrape_interval")] = new YamlScalarNode(scrapeInterval);
        global.Children[new YamlScalarNode("evaluation_interval")] = new YamlScalarNode(evaluationInterval);
        if (MonitoringOptions.TryParsePrometheusDuration(GlobalValue("scrape_timeout"), out var timeout)
            && MonitoringOptions.TryParsePrometheusDuration(scrapeInterval, out var interval)
            && timeout > interval)
        {
            global.Children[new YamlScalarNode("scrape_timeout")] = new YamlScalarNode(scrapeInterval);
        }

        return Render($"with scrape_interval {scrapeInterval} and evaluation_interval {evaluationInterval}");
    }

    private string? GlobalValue(string key) =>
        Child<YamlMappingNode>(Root, "global") is { } global ? Child<YamlScalarNode>(global, key)?.Value : null;
}
