using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Model;

public class NodeExporterModelTests
{
    [Fact]
    public async Task Runs_the_pinned_official_image()
    {
        await using var official = await AppHostModel.BuildAsync();

        Assert.Equal(PinnedImages.Of("node-exporter").OfficialReference, AppHostModel.ImageOf(official.Resource<NodeExporterResource>("node-exporter")));
    }

    [Fact]
    public async Task Reads_the_host_filesystem_read_only_and_is_healthy_when_it_serves_metrics()
    {
        await using var app = await AppHostModel.BuildAsync();
        var exporter = app.Resource<NodeExporterResource>("node-exporter");

        Assert.Equal(9100, AppHostModel.EndpointOf(exporter).TargetPort);
        Assert.Single(exporter.Annotations.OfType<HealthCheckAnnotation>());
        Assert.Equal("node", Assert.Single(app.Resource<PrometheusResource>("prometheus").Annotations.OfType<ScrapeTargetAnnotation>(), t => t.Endpoint.Resource == exporter).Job);
        if (OperatingSystem.IsLinux())
        {
            var root = AppHostModel.MountsOf(exporter)["/host"];
            Assert.Equal(("/", true), (root.Source, root.IsReadOnly));
            Assert.Contains("--path.rootfs=/host", await app.ArgsOfAsync(exporter));
            // In the host's PID namespace, PID 1's mount table (which it reads) is the host's, where / is writable.
            var runtimeArgs = new List<object>();
            foreach (var callback in exporter.Annotations.OfType<ContainerRuntimeArgsCallbackAnnotation>())
            {
                await callback.Callback(new ContainerRuntimeArgsCallbackContext(runtimeArgs));
            }

            Assert.Contains("--pid=host", runtimeArgs);
        }
    }
}
