using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Monitoring.AppHost;

/// <summary>The checks that run before anything starts, and the components that cannot run here.</summary>
public static class StartupChecksBuilderExtensions
{
    /// <summary>
    /// Shows each component that is switched on but whose image cannot be had here (<see cref="ImageAvailability"/>)
    /// as "Not available here" with the reason, and registers the start-up checks: that the container runtime answers,
    /// and that each component's own validator (promtool, amtool, ...) accepts its files, which run after the
    /// components have parsed their provisioning files; and the watch that says so when a container cannot write its
    /// volume. Call it last.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="options">The settings: the components switched on, and those whose image cannot be had.</param>
    /// <returns>The builder.</returns>
    public static IDistributedApplicationBuilder UseStartupChecks(this IDistributedApplicationBuilder builder, MonitoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ReportUnavailableComponents(builder, options);
        ContainerRuntimePreflight.Register(builder);
        ConfigChecks.Register(builder);
        VolumePermissionWatch.Register(builder);
        return builder;
    }

    private static void ReportUnavailableComponents(IDistributedApplicationBuilder builder, MonitoringOptions options)
    {
        var unavailable = PinnedImages.All
            .Where(p => options.IsSwitchedOn(p.Component) && options.UnavailableReason(p.Component) is not null)
            .Select(p => new UnavailableComponentResource(p.Component, options.UnavailableReason(p.Component)!))
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

        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            var logger = e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Monitoring");
            foreach (var component in unavailable)
            {
                logger.LogWarning("{Component} is not available here: {Reason}", component.Name, component.Reason);
            }

            foreach (var image in ImageAvailability.Pulling)
            {
                logger.LogInformation("Pulling {Image}: its container starts once the image is here (the first start takes longer).", image);
            }

            return Task.CompletedTask;
        });
    }
}
