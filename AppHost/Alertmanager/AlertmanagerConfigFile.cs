using YamlDotNet.RepresentationModel;

namespace Monitoring.AppHost;

/// <summary>
/// The checked-in <c>alertmanager.yml</c>, and the copy the AppHost runs: the webhook of each receiver it wires reads
/// its URL from a file the AppHost writes once this run's address is known (<c>url_file</c>, which Alertmanager reads
/// at every notification: notify/webhook/webhook.go at v0.28.1), plus the receivers configured by parameters.
/// </summary>
internal sealed class AlertmanagerConfigFile : YamlConfigFile
{
    private AlertmanagerConfigFile(string path) : base(path, "Alertmanager configuration")
    {
    }

    /// <summary>Reads a configuration file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The file's content.</returns>
    /// <exception cref="InvalidOperationException">It is missing, not YAML, or not a mapping; the message names the file and line.</exception>
    public static AlertmanagerConfigFile Load(string path) => new(path);

    /// <summary>The receiver names the file defines.</summary>
    public IReadOnlyList<string> ReceiverNames => [.. Receivers().Select(r => Child<YamlScalarNode>(r, "name")?.Value ?? "")];

    /// <summary>The configuration with the first webhook of each named receiver reading its URL from a file.</summary>
    /// <param name="urlFiles">The file (as the container sees it) by receiver name.</param>
    /// <returns>The YAML text.</returns>
    /// <exception cref="InvalidOperationException">A receiver is missing or has no <c>webhook_configs</c> entry.</exception>
    public string WithWebhookUrlFiles(IReadOnlyDictionary<string, string> urlFiles) => Render(urlFiles, [], null);

    /// <summary>
    /// The configuration with the wired webhooks reading their URLs from files and, for each external receiver, a
    /// receiver named after its kind (<c>slack</c>, <c>email</c>, <c>webhook</c>) and a first route that sends it the
    /// alerts of its severities (the Watchdog aside) and continues to the other routes.
    /// </summary>
    /// <param name="urlFiles">The file holding the webhook URL (as the container sees it), by receiver name.</param>
    /// <param name="receivers">The external receivers and their settings by Alertmanager field name.</param>
    /// <param name="maxGroupInterval">The longest <c>group_wait</c> and <c>group_interval</c>, or <see langword="null"/>.</param>
    /// <returns>The YAML text.</returns>
    public string Render(
        IReadOnlyDictionary<string, string> urlFiles,
        IReadOnlyList<ExternalReceiver> receivers,
        string? maxGroupInterval)
    {
        if (maxGroupInterval is not null && Child<YamlMappingNode>(Root, "route") is { } root)
        {
            CapTimers(root, MonitoringOptions.TryParsePrometheusDuration(maxGroupInterval, out var max) ? max : throw new ArgumentException(maxGroupInterval), maxGroupInterval, isRoot: true);
        }

        foreach (var (name, urlFile) in urlFiles)
        {
            var receiver = Receivers().FirstOrDefault(r => Child<YamlScalarNode>(r, "name")?.Value == name)
                ?? throw new InvalidOperationException($"{Path}: no receiver named '{name}' (the AppHost wires its webhook URL).");
            if (Child<YamlSequenceNode>(receiver, "webhook_configs") is not { Children.Count: > 0 } configs
                || configs.Children[0] is not YamlMappingNode webhook)
            {
                throw new InvalidOperationException($"{Path}:{receiver.Start.Line}: receiver '{name}' needs a webhook_configs entry (its url is set by the AppHost).");
            }

            webhook.Children.Remove(new YamlScalarNode("url"));
            webhook.Children[new YamlScalarNode("url_file")] = new YamlScalarNode(urlFile);
        }

        // Ahead of the file's routes, in the order given, each continuing to the next.
        var position = 0;
        foreach (var (kind, settings, severities) in receivers)
        {
            var name = kind.ToString().ToLowerInvariant();
            var config = new YamlMappingNode { { "send_resolved", "true" } };
            foreach (var (field, value) in settings)
            {
                config.Add(field, value);
            }

            var configsKey = kind switch { ExternalReceiverKind.Slack => "slack_configs", ExternalReceiverKind.Email => "email_configs", _ => "webhook_configs" };
            Child<YamlSequenceNode>(Root, "receivers")!.Add(new YamlMappingNode { { "name", name }, { configsKey, new YamlSequenceNode(config) } });
            var route = Child<YamlMappingNode>(Root, "route") ?? throw new InvalidOperationException($"{Path}: no route.");
            if (Child<YamlSequenceNode>(route, "routes") is not { } routes)
            {
                routes = [];
                route.Children[new YamlScalarNode("routes")] = routes;
            }

            routes.Children.Insert(position++, new YamlMappingNode
            {
                { "receiver", name },
                { "matchers", new YamlSequenceNode(new YamlScalarNode("alertname!=\"Watchdog\""), new YamlScalarNode($"severity=~\"{string.Join('|', severities)}\"")) },
                { "continue", "true" },
            });
        }

        return Render("with this run's webhook URL files and configured receivers");
    }

    // Alertmanager's defaults for the root route; child routes inherit their parent's.
    private static readonly (string Key, TimeSpan Default)[] s_timers = [("group_wait", TimeSpan.FromSeconds(30)), ("group_interval", TimeSpan.FromMinutes(5))];

    private void CapTimers(YamlMappingNode route, TimeSpan max, string maxText, bool isRoot)
    {
        foreach (var (key, fallback) in s_timers)
        {
            var value = Child<YamlScalarNode>(route, key)?.Value;
            var current = value is null ? (isRoot ? fallback : TimeSpan.Zero)
                : MonitoringOptions.TryParsePrometheusDuration(value, out var parsed) ? parsed
                : throw new InvalidOperationException($"{Path}:{route.Start.Line}: {key} '{value}' is not a duration.");
            if (current > max)
            {
                route.Children[new YamlScalarNode(key)] = new YamlScalarNode(maxText);
            }
        }

        foreach (var child in Child<YamlSequenceNode>(route, "routes")?.Children.OfType<YamlMappingNode>() ?? [])
        {
            CapTimers(child, max, maxText, isRoot: false);
        }
    }

    private IEnumerable<YamlMappingNode> Receivers() =>
        Child<YamlSequenceNode>(Root, "receivers")?.Children.OfType<YamlMappingNode>() ?? [];
}

/// <summary>A receiver besides the Probes webhook, with its settings resolved.</summary>
/// <param name="Kind">Its kind.</param>
/// <param name="Settings">Its settings by Alertmanager's field name.</param>
/// <param name="Severities">The severities it gets.</param>
internal sealed record ExternalReceiver(ExternalReceiverKind Kind, IReadOnlyDictionary<string, string> Settings, IReadOnlyList<string> Severities);
