namespace Monitoring.Kubernetes;

/// <summary>
/// The receiver fields that hold a URL or a credential, each of which Alertmanager (v0.28) can read from a file
/// instead (<c>&lt;field&gt;_file</c>): on the cluster they come from the Secret that kube-prometheus-stack mounts under
/// <c>/etc/alertmanager/secrets/&lt;secret&gt;/</c> (<c>alertmanagerSpec.secrets</c>).
/// </summary>
internal static class ReceiverSecrets
{
    private static readonly Dictionary<string, string[]> s_fields = new(StringComparer.Ordinal)
    {
        ["webhook_configs"] = ["url"],
        ["slack_configs"] = ["api_url"],
        ["email_configs"] = ["auth_password"],
        ["pagerduty_configs"] = ["routing_key", "service_key"],
        ["opsgenie_configs"] = ["api_key"],
        ["discord_configs"] = ["webhook_url"],
        ["msteams_configs"] = ["webhook_url"],
        ["msteamsv2_configs"] = ["webhook_url"],
        ["telegram_configs"] = ["bot_token"],
    };

    /// <summary>The secret-bearing fields of a kind of receiver configuration.</summary>
    /// <param name="kind">The kind (<c>webhook_configs</c>, …).</param>
    /// <returns>The fields.</returns>
    public static IReadOnlyList<string> Fields(string kind) => s_fields.GetValueOrDefault(kind) ?? [];

    /// <summary>Where the operator mounts a key of a Secret listed in <c>alertmanagerSpec.secrets</c>.</summary>
    /// <param name="secret">The Secret's name.</param>
    /// <param name="key">The key.</param>
    /// <returns>The path in the Alertmanager container.</returns>
    public static string MountPath(string secret, string key) => $"/etc/alertmanager/secrets/{secret}/{key}";
}
