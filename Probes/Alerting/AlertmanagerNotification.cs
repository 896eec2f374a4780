using System.Text.Json.Serialization;

namespace Monitoring.Probes.Alerting;

/// <summary>The body Alertmanager's webhook receiver posts (payload version 4).</summary>
public sealed record AlertmanagerNotification
{
    /// <summary>The payload version; Alertmanager sends <c>4</c>.</summary>
    public string? Version { get; init; }

    /// <summary>Identifies the alert group.</summary>
    public string? GroupKey { get; init; }

    /// <summary><c>firing</c> or <c>resolved</c>.</summary>
    public required string Status { get; init; }

    /// <summary>The receiver that sent it.</summary>
    public required string Receiver { get; init; }

    /// <summary>The labels the alerts were grouped by.</summary>
    public Dictionary<string, string> GroupLabels { get; init; } = [];

    /// <summary>The labels all alerts share.</summary>
    public Dictionary<string, string> CommonLabels { get; init; } = [];

    /// <summary>The annotations all alerts share.</summary>
    public Dictionary<string, string> CommonAnnotations { get; init; } = [];

    /// <summary>Alertmanager's external URL.</summary>
    [JsonPropertyName("externalURL")]
    public string? ExternalUrl { get; init; }

    /// <summary>The alerts of the group.</summary>
    public required List<AlertmanagerAlert> Alerts { get; init; }

    /// <summary>When this service received it (set on receipt).</summary>
    public DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>One alert of a webhook notification.</summary>
public sealed record AlertmanagerAlert
{
    /// <summary><c>firing</c> or <c>resolved</c>.</summary>
    public required string Status { get; init; }

    /// <summary>The alert's labels (<c>alertname</c>, <c>severity</c>, …).</summary>
    public Dictionary<string, string> Labels { get; init; } = [];

    /// <summary>The alert's annotations (<c>summary</c>, <c>description</c>, <c>runbook_url</c>).</summary>
    public Dictionary<string, string> Annotations { get; init; } = [];

    /// <summary>When it started firing.</summary>
    public DateTimeOffset? StartsAt { get; init; }

    /// <summary>When it resolved (or a zero time while firing).</summary>
    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>Link to the expression in Prometheus.</summary>
    [JsonPropertyName("generatorURL")]
    public string? GeneratorUrl { get; init; }

    /// <summary>Alertmanager's fingerprint of the label set.</summary>
    public string? Fingerprint { get; init; }
}
