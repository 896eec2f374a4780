using YamlDotNet.RepresentationModel;
using static Monitoring.Kubernetes.Yaml;

namespace Monitoring.Kubernetes;

/// <summary>
/// Moves every URL, password, key and token of an Alertmanager configuration into files of one Secret, which
/// kube-prometheus-stack mounts under <c>/etc/alertmanager/secrets/&lt;secret&gt;/</c> (<c>alertmanagerSpec.secrets</c>):
/// each such field becomes its <c>*_file</c> twin, reading the key named after where it sits
/// (<c>probes.webhook.url</c>, <c>global.slack-api-url</c>, <c>ops.slack.http-config.basic-auth.password</c>). A
/// field that holds a credential and has no file twin stops the export, naming its line.
/// </summary>
internal static class AlertmanagerSecrets
{
    // The fields with a *_file twin in Alertmanager (config/config.go, config/notifiers.go) and Prometheus' common
    // HTTP client settings (config/http_config.go), by the key of the mapping they sit in.
    private static readonly Dictionary<string, string[]> s_fileFields = new(StringComparer.Ordinal)
    {
        ["global"] = ["slack_api_url", "smtp_auth_password", "opsgenie_api_key", "victorops_api_key"],
        ["webhook_configs"] = ["url"],
        ["slack_configs"] = ["api_url"],
        ["email_configs"] = ["auth_password"],
        ["pagerduty_configs"] = ["routing_key", "service_key"],
        ["opsgenie_configs"] = ["api_key"],
        ["victorops_configs"] = ["api_key"],
        ["pushover_configs"] = ["user_key", "token"],
        ["discord_configs"] = ["webhook_url"],
        ["msteams_configs"] = ["webhook_url"],
        ["msteamsv2_configs"] = ["webhook_url"],
        ["telegram_configs"] = ["bot_token"],
        ["rocketchat_configs"] = ["token"],
        ["http_config"] = ["bearer_token"],
        ["basic_auth"] = ["password"],
        ["authorization"] = ["credentials"],
        ["oauth2"] = ["client_secret"],
    };

    // Fields that hold a credential wherever they sit; left as literals they would land in the chart's values.
    private static readonly HashSet<string> s_credentials = new(StringComparer.Ordinal)
    {
        "password", "credentials", "bearer_token", "client_secret", "api_key", "api_secret", "token", "bot_token", "user_key",
        "routing_key", "service_key", "api_url", "webhook_url", "slack_api_url", "smtp_auth_password", "smtp_auth_secret",
        "opsgenie_api_key", "victorops_api_key", "wechat_api_secret", "secret_key", "auth_password", "auth_secret",
    };

    /// <summary>Rewrites the configuration in place.</summary>
    /// <param name="path">The file it was read from, for messages.</param>
    /// <param name="config">The configuration.</param>
    /// <param name="secret">The Secret's name.</param>
    /// <returns>The keys the Secret must hold.</returns>
    /// <exception cref="ExportException">A credential without a file twin; the message names the line.</exception>
    public static IReadOnlyList<string> Rewrite(string path, YamlMappingNode config, string secret)
    {
        var keys = new List<string>();
        Walk(path, config, "", "", secret, keys, inReceivers: false);
        return keys;
    }

    /// <summary>Where the operator mounts a key of a Secret listed in <c>alertmanagerSpec.secrets</c>.</summary>
    /// <param name="secret">The Secret's name.</param>
    /// <param name="key">The key.</param>
    /// <returns>The path in the Alertmanager container.</returns>
    public static string MountPath(string secret, string key) => $"/etc/alertmanager/secrets/{secret}/{key}";

    private static void Walk(string path, YamlNode node, string parent, string keyPath, string secret, List<string> keys, bool inReceivers)
    {
        if (node is YamlSequenceNode sequence)
        {
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var item = sequence.Children[i];
                var itemPath = parent == "receivers" && item is YamlMappingNode receiver
                    ? Optional<YamlScalarNode>(receiver, "name")?.Value ?? $"receiver-{i}"
                    : parent.EndsWith("_configs", StringComparison.Ordinal) ? $"{keyPath}.{parent[..^"_configs".Length]}{(i == 0 ? "" : $"-{i}")}" : keyPath;
                Walk(path, item, parent, itemPath, secret, keys, inReceivers);
            }

            return;
        }

        if (node is not YamlMappingNode map)
        {
            return;
        }

        if (!parent.EndsWith("_configs", StringComparison.Ordinal) || inReceivers)
        {
            foreach (var field in s_fileFields.GetValueOrDefault(parent) ?? [])
            {
                if (Optional<YamlScalarNode>(map, field) is { } value && map.Children.Remove(new YamlScalarNode(field)))
                {
                    var key = $"{keyPath}.{field.Replace('_', '-')}".TrimStart('.');
                    if (!SecretKey(key))
                    {
                        throw new ExportException($"{path}:{value.Start.Line}: '{key}' is not a valid Secret key (letters, digits, '-', '_', '.'): rename the receiver.");
                    }

                    map.Add(Str($"{field}_file"), Str(MountPath(secret, key)));
                    keys.Add(key);
                }
            }
        }

        foreach (var (k, v) in map.Children.ToList())
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (v is YamlScalarNode literal && s_credentials.Contains(name) && !string.IsNullOrEmpty(literal.Value))
            {
                throw new ExportException($"{path}:{literal.Start.Line}: '{name}' holds a credential that Alertmanager cannot read from a file; on the cluster it would sit in the chart's values. Use a receiver whose credential has a *_file field (docs/kubernetes.md).");
            }

            var childPath = v is YamlSequenceNode && (name == "receivers" || name.EndsWith("_configs", StringComparison.Ordinal)) ? keyPath : $"{keyPath}.{name.Replace('_', '-')}".TrimStart('.');
            Walk(path, v, name, childPath, secret, keys, inReceivers || name == "receivers");
        }
    }

    private static bool SecretKey(string key) => key.Length <= 253 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
