
namespace Monitoring.AppHost;

/// <summary>Adds a node-exporter to the application model.</summary>
public static class NodeExporterBuilderExtensions
{
    private const string HostRootMountPath = "/host";

    /// <summary>Adds a node-exporter container; its <c>/metrics</c> endpoint is the health check.</summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="port">The host port; random when not given.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<NodeExporterResource> AddNodeExporter(this IDistributedApplicationBuilder builder, [ResourceName] string name, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        return builder.AddResource(new NodeExporterResource(name))
            .WithImage(PinnedImages.NodeExporter.Image, PinnedImages.NodeExporter.Tag)
            .WithImageRegistry(PinnedImages.NodeExporter.Registry)
            .WithHttpEndpoint(port: port, targetPort: NodeExporterResource.HttpPort, name: NodeExporterResource.PrimaryEndpointName)
            .WithHttpHealthCheck("/metrics", endpointName: NodeExporterResource.PrimaryEndpointName);
    }

    /// <summary>
    /// On a Linux host, mounts the host's root filesystem read-only at <c>/host</c> and points the exporter at it, so
    /// disk metrics describe the host rather than the container, and runs it in the host's PID namespace, as
    /// node_exporter's README has it (<c>--pid="host" -v "/:/host:ro,rslave" --path.rootfs=/host</c>): the filesystem
    /// collector reads the mount table of PID 1 (<c>/proc/1/mountinfo</c>, collector/filesystem_linux.go at v1.9.0), and
    /// in a PID namespace of its own that is the container's, where <c>/host</c> is a read-only bind mount, so the
    /// host's root would report <c>node_filesystem_readonly 1</c> and escape the filesystem alerts (node_exporter issue
    /// #2506). Elsewhere (Docker Desktop on macOS or Windows) the host's root is not shareable; the exporter then
    /// reports the container runtime's virtual machine.
    /// </summary>
    /// <param name="builder">The node-exporter resource builder.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<NodeExporterResource> WithHostFilesystem(this IResourceBuilder<NodeExporterResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return OperatingSystem.IsLinux()
            ? builder.WithBindMount("/", HostRootMountPath, isReadOnly: true)
                .WithArgs($"--path.rootfs={HostRootMountPath}")
                .WithContainerRuntimeArgs("--pid=host")
            : builder;
    }
}
