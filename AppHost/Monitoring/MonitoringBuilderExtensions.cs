using Microsoft.Extensions.Configuration;
using Monitoring.AppHost;

namespace Aspire.Hosting;

/// <summary>Stack-wide wiring: settings, the image source and the start-up checks.</summary>
public static class MonitoringBuilderExtensions
{
    /// <summary>Reads and checks the <c>Monitoring</c> settings, and registers the container-runtime check run before start.</summary>
    /// <param name="builder">The application builder.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="InvalidOperationException">A setting is invalid; the message names it.</exception>
    public static MonitoringOptions AddMonitoring(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var options = builder.Configuration.GetSection(MonitoringOptions.SectionName).Get<MonitoringOptions>() ?? new MonitoringOptions();
        options.Validate();
        options.ProvisioningDirectory = Path.GetFullPath(options.ProvisioningDirectory ?? Path.Combine(builder.AppHostDirectory, "..", "provisioning"));
        ContainerRuntimePreflight.Register(builder);
        return options;
    }

    /// <summary>A folder of the provisioning tree (<c>provisioning/prometheus</c>, …).</summary>
    /// <param name="options">The settings.</param>
    /// <param name="tool">The tool's folder name.</param>
    /// <returns>The full path.</returns>
    public static string ProvisioningFor(this MonitoringOptions options, string tool) =>
        Path.Combine(options.ProvisioningDirectory ?? throw new InvalidOperationException("Call AddMonitoring first."), tool);

    /// <summary>
    /// Applies the image source to every container of the model: with <see cref="ImageSource.Local"/>, each container
    /// whose official image has a locally built stand-in (see <c>eng/images</c>) runs that instead. This is the only
    /// place the choice is made; components are always declared with their official image.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="source">The image source.</param>
    /// <returns>The builder.</returns>
    public static IDistributedApplicationBuilder UseImageSource(this IDistributedApplicationBuilder builder, ImageSource source)
    {
        ArgumentNullException.ThrowIfNull(builder);
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
