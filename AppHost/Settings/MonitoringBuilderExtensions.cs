using Microsoft.Extensions.Configuration;

namespace Monitoring.AppHost;

/// <summary>Stack-wide settings: the <c>Monitoring</c> section, secret passwords, the provisioning folder, fixed host ports.</summary>
public static class MonitoringBuilderExtensions
{
    /// <summary>
    /// Reads the git-ignored <c>.env</c> at the repository root (if any) into configuration, reads and checks the
    /// <c>Monitoring</c> settings, and (when running, not publishing) asks the container runtime which components'
    /// images it holds or can pull (<see cref="ImageAvailability"/>).
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="InvalidOperationException">A setting is invalid; the message names it.</exception>
    public static MonitoringOptions AddMonitoring(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        DotEnvFile.AddTo(builder.Configuration, Path.Combine(builder.AppHostDirectory, "..", ".env"));
        var options = builder.Configuration.GetSection(MonitoringOptions.SectionName).Get<MonitoringOptions>() ?? new MonitoringOptions();
        options.Validate();
        options.ProvisioningDirectory = Path.GetFullPath(options.ProvisioningDirectory ?? Path.Combine(builder.AppHostDirectory, "..", "provisioning"));
        if (builder.ExecutionContext.IsRunMode)
        {
            options.Unavailable = ImageAvailability.UnavailableComponents(
                ContainerRuntimeSelection.Resolve(builder.Configuration), PinnedImages.All.Where(p => options.IsSwitchedOn(p.Component)));
        }

        return options;
    }

    /// <summary>
    /// Adds a secret password parameter that is generated (and kept in user secrets) when not set, with letters and
    /// digits only, so it can be embedded in a connection URL without escaping (Airflow's database URL).
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The parameter name.</param>
    /// <returns>The parameter's builder.</returns>
    public static IResourceBuilder<ParameterResource> AddUrlSafePassword(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddResource(ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, name, special: false));

    /// <summary>A folder of the provisioning tree (<c>provisioning/prometheus</c>, …).</summary>
    /// <param name="options">The settings.</param>
    /// <param name="tool">The tool's folder name.</param>
    /// <returns>The full path.</returns>
    public static string ProvisioningFor(this MonitoringOptions options, string tool) =>
        Path.Combine(options.ProvisioningDirectory ?? throw new InvalidOperationException("Call AddMonitoring first."), tool);

    /// <summary>
    /// Gives resources the fixed host ports of <c>Monitoring:Ports</c> (on their primary endpoint: <c>http</c>, or the
    /// first one) and registers the start-up check that every fixed port is free. A name that is no resource is an
    /// error, unless it is a component that is switched off or not available here.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="options">The settings.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">A port names no resource, or a resource without an endpoint.</exception>
    public static IDistributedApplicationBuilder UseHostPorts(this IDistributedApplicationBuilder builder, MonitoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (name, port) in options.Ports)
        {
            if (!options.IsEnabled(name))
            {
                continue;
            }

            var resource = builder.Resources.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));

            var endpoints = resource?.Annotations.OfType<EndpointAnnotation>().ToList() ?? [];
            var endpoint = endpoints.FirstOrDefault(e => e.Name == "http") ?? endpoints.FirstOrDefault()
                ?? throw new InvalidOperationException(
                    $"Configuration '{MonitoringOptions.SectionName}:Ports:{name}' names no resource with an endpoint. Resources with endpoints: " +
                    string.Join(", ", builder.Resources.Where(r => r.Annotations.OfType<EndpointAnnotation>().Any()).Select(r => r.Name)) + ".");
            endpoint.Port = port;
        }

        HostPortPreflight.Register(builder);
        return builder;
    }
}
