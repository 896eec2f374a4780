using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Monitoring.AppHost;

namespace Aspire.Hosting;

/// <summary>Where the containers' images come from, and the checks that run before anything starts.</summary>
public static class ImageSourceBuilderExtensions
{
    /// <summary>
    /// Applies the image source to every container of the model: with <see cref="ImageSource.Local"/>, each container
    /// whose official image has a locally built stand-in (see <c>eng/images</c>) runs that instead. This is the only
    /// place the choice is made; components are always declared with their official image. Call it last: it also
    /// registers the start-up checks that the container runtime answers, that the local images exist and that each
    /// component's own validator (promtool, amtool, ...) accepts its files, which run after the components have parsed
    /// their provisioning files; and the watch that says so when a container cannot write its volume.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="options">The settings: the image source, and the components switched on (those the image source
    /// cannot supply are shown in the dashboard as not available here).</param>
    /// <returns>The builder.</returns>
    public static IDistributedApplicationBuilder UseImageSource(this IDistributedApplicationBuilder builder, MonitoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ReportUnavailableComponents(builder, options);
        ContainerRuntimePreflight.Register(builder);
        ConfigChecks.Register(builder);
        VolumePermissionWatch.Register(builder);
        if (options.ImageSource != ImageSource.Local)
        {
            return builder;
        }

        foreach (var container in builder.Resources.OfType<ContainerResource>())
        {
            if (container.TryGetLastAnnotation<ContainerImageAnnotation>(out var image)
                && LocalImageTags.ByOfficialImage.TryGetValue(image.Image, out var local))
            {
                image.Registry = LocalImageTags.Registry;
                image.Image = local.LocalImage;
                image.Tag = local.Version;
            }
        }

        return builder;
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
}
