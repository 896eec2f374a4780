namespace Monitoring.AppHost;

/// <summary>An Alertmanager running in a container.</summary>
/// <param name="name">The resource name.</param>
/// <param name="generatedDirectory">The host folder the AppHost writes the run's configuration to, mounted at <c>/aspire</c>.</param>
public class AlertmanagerResource(string name, string generatedDirectory) : ContainerResource(name)
{
    internal const string PrimaryEndpointName = "http";
    internal const int HttpPort = 9093;

    private EndpointReference? _primaryEndpoint;

    /// <summary>The HTTP endpoint: the UI and the API Prometheus posts alerts to.</summary>
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    /// <summary>The host folder of the generated configuration.</summary>
    public string GeneratedDirectory { get; } = generatedDirectory;

    /// <summary>
    /// The longest <c>group_wait</c> and <c>group_interval</c> of the run's routes, a Prometheus duration, or
    /// <see langword="null"/> for the file's own.
    /// </summary>
    public string? MaxGroupInterval { get; internal set; }

    /// <summary>The checked-in configuration folder mounted at <c>/etc/alertmanager</c>.</summary>
    public string ConfigDirectory { get; internal set; } = "";
}
