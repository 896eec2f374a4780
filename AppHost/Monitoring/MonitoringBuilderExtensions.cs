using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Monitoring.AppHost;

namespace Aspire.Hosting;

/// <summary>Stack-wide wiring: settings, the image source and the start-up checks.</summary>
public static class MonitoringBuilderExtensions
{
    /// <summary>
    /// Reads the git-ignored <c>.env</c> at the repository root (if any) into configuration, and reads and checks the
    /// <c>Monitoring</c> settings.
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
        ReportUnavailableComponents(builder, options);
        return options;
    }

    private static void ReportUnavailableComponents(IDistributedApplicationBuilder builder, MonitoringOptions options)
    {
        var unavailable = LocalImageTags.Unavailable.Keys
            .Where(c => options.IsSwitchedOn(c) && options.UnavailableReason(c) is not null)
            .Select(c => new UnavailableComponentResource(c, options.UnavailableReason(c)!))
            .ToList();
        foreach (var component in unavailable)
        {
            builder.AddResource(component)
                .WithInitialState(new CustomResourceSnapshot
                {
                    ResourceType = "Unavailable",
                    State = new ResourceStateSnapshot("Not available here", KnownResourceStateStyles.Warn),
                    Properties = [new("Reason", component.Reason)],
                })
                .ExcludeFromManifest();
        }

        if (unavailable.Count > 0)
        {
            builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
            {
                var logger = e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Monitoring");
                foreach (var component in unavailable)
                {
                    logger.LogWarning("{Component} is switched off: {Reason}", component.Name, component.Reason);
                }

                return Task.CompletedTask;
            });
        }
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

    /// <summary>
    /// Applies the image source to every container of the model: with <see cref="ImageSource.Local"/>, each container
    /// whose official image has a locally built stand-in (see <c>eng/images</c>) runs that instead. This is the only
    /// place the choice is made; components are always declared with their official image. Call it last: it also
    /// registers the start-up checks that the container runtime answers, that the local images exist and that each
    /// component's own validator (promtool, amtool, ...) accepts its files, which run after the components have parsed
    /// their provisioning files; and the watch that says so when a container cannot write its volume.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="source">The image source.</param>
    /// <returns>The builder.</returns>
    public static IDistributedApplicationBuilder UseImageSource(this IDistributedApplicationBuilder builder, ImageSource source)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ContainerRuntimePreflight.Register(builder);
        ConfigChecks.Register(builder);
        VolumePermissionWatch.Register(builder);
        if (source != ImageSource.Local)
        {
            return builder;
        }

        foreach (var container in builder.Resources.OfType<ContainerResource>())
        {
            if (container.TryGetLastAnnotation<ContainerImageAnnotation>(out var image)
                && LocalImageTags.ByOfficialImage.TryGetValue(image.Image, out var local))
            {
                image.Registry = LocalImageTags.Registry;
                image.Image = local.Image;
                image.Tag = local.Tag;
            }
        }

        return builder;
    }
}
