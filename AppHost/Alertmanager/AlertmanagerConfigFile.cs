using YamlDotNet.RepresentationModel;

namespace Monitoring.AppHost;

/// <summary>
/// The checked-in <c>alertmanager.yml</c>. Alertmanager cannot read a webhook URL from a file or the environment, so
/// the AppHost renders a copy in which the URLs of the receivers it wires are the ones of this run.
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

    /// <summary>The configuration with the first webhook URL of each named receiver replaced.</summary>
    /// <param name="urls">The URL by receiver name.</param>
    /// <returns>The YAML text.</returns>
    /// <exception cref="InvalidOperationException">A receiver is missing or has no <c>webhook_configs</c> entry.</exception>
    public string WithWebhookUrls(IReadOnlyDictionary<string, string> urls)
    {
        foreach (var (name, url) in urls)
        {
            var receiver = Receivers().FirstOrDefault(r => Child<YamlScalarNode>(r, "name")?.Value == name)
                ?? throw new InvalidOperationException($"{Path}: no receiver named '{name}' (the AppHost wires its webhook URL).");
            if (Child<YamlSequenceNode>(receiver, "webhook_configs") is not { Children.Count: > 0 } configs
                || configs.Children[0] is not YamlMappingNode webhook)
            {
                throw new InvalidOperationException($"{Path}:{receiver.Start.Line}: receiver '{name}' needs a webhook_configs entry (its url is set by the AppHost).");
            }

            webhook.Children[new YamlScalarNode("url")] = new YamlScalarNode(url);
        }

        return Render("with this run's webhook URLs");
    }

    private IEnumerable<YamlMappingNode> Receivers() =>
        Child<YamlSequenceNode>(Root, "receivers")?.Children.OfType<YamlMappingNode>() ?? [];
}
