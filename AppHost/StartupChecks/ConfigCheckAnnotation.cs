namespace Monitoring.AppHost;

/// <summary>
/// A component's own validator for its configuration folder (promtool, amtool, <c>--config.check</c>), run from the
/// component's image before anything starts.
/// </summary>
/// <param name="tool">The validator's executable in the image (the entrypoint used).</param>
/// <param name="configFile">The file checked, relative to the folder (the validator follows its references).</param>
/// <param name="arguments">Its arguments, with paths as the container sees them.</param>
/// <param name="hostDirectory">The configuration folder on the host.</param>
/// <param name="containerDirectory">Where the folder is mounted (read-only) for the check.</param>
public sealed class ConfigCheckAnnotation(string tool, string configFile, IReadOnlyList<string> arguments, string hostDirectory, string containerDirectory) : IResourceAnnotation
{
    /// <summary>The validator's executable in the image.</summary>
    public string Tool { get; } = tool;

    /// <summary>The file checked, relative to the folder.</summary>
    public string ConfigFile { get; } = configFile;

    /// <summary>Its arguments.</summary>
    public IReadOnlyList<string> Arguments { get; } = arguments;

    /// <summary>The configuration folder on the host.</summary>
    public string HostDirectory { get; } = hostDirectory;

    /// <summary>Where the folder is mounted for the check.</summary>
    public string ContainerDirectory { get; } = containerDirectory;
}
