namespace Monitoring.AppHost;

/// <summary>The kinds of receiver Alertmanager can send to besides the Probes webhook.</summary>
public enum ExternalReceiverKind
{
    /// <summary>A Slack incoming webhook.</summary>
    Slack,

    /// <summary>E-mail through an SMTP server.</summary>
    Email,

    /// <summary>Any HTTP endpoint that takes Alertmanager's webhook payload.</summary>
    Webhook,
}

/// <summary>
/// A receiver the alerts of chosen severities (the Watchdog aside) are also sent to, configured from parameters
/// (secrets where they are credentials). The AppHost adds it to the run's copy of <c>alertmanager.yml</c>.
/// </summary>
/// <param name="kind">The kind of receiver.</param>
/// <param name="settings">Its settings by Alertmanager's field name (<c>api_url</c>, <c>to</c>, <c>smarthost</c>, …).</param>
/// <param name="severities">The severities it gets, comma-separated (<c>critical,warning</c>).</param>
public sealed class ExternalReceiverAnnotation(ExternalReceiverKind kind, IReadOnlyDictionary<string, ParameterResource> settings, ParameterResource severities) : IResourceAnnotation
{
    /// <summary>The kind of receiver.</summary>
    public ExternalReceiverKind Kind { get; } = kind;

    /// <summary>Its settings.</summary>
    public IReadOnlyDictionary<string, ParameterResource> Settings { get; } = settings;

    /// <summary>The severities it gets, comma-separated.</summary>
    public ParameterResource Severities { get; } = severities;
}
