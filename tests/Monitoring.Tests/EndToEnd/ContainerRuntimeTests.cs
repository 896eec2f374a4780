using Monitoring.AppHost;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>Without a container runtime or a local image, start-up stops at once and says what to do.</summary>
public class ContainerRuntimeTests
{
    [Fact]
    public async Task A_missing_runtime_stops_start_up_at_once_saying_what_to_install()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--ASPIRE_CONTAINER_RUNTIME=no-such-runtime"], (options, _) => options.DisableDashboard = true, ct);
        var message = await FailedStart.MessageAsync(builder, ct);

        Assert.Contains("No container runtime: 'no-such-runtime' is not installed", message);
        Assert.Contains("Install Docker (Docker Desktop) or Podman", message);
    }

    [Fact]
    public async Task A_missing_local_image_stops_start_up_at_once_saying_how_to_build_it()
    {
        ContainerHost.SkipUnlessImages(ContainerHost.AllLocalImages);
        var ct = TestContext.Current.CancellationToken;
        // The stack with the local images, plus one container whose local image was never built.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--Monitoring:ImageSource=Local", $"--ASPIRE_CONTAINER_RUNTIME={ContainerHost.Runtime}"],
            (options, _) => options.DisableDashboard = true, ct);
        builder.AddContainer("unbuilt", "monitoring/never-built", "0.0.1").WithImageRegistry(LocalImageTags.Registry);
        var message = await FailedStart.MessageAsync(builder, ct);

        Assert.Contains("Local images are missing: localhost/monitoring/never-built:0.0.1", message);
        Assert.Contains("eng/images/build.sh", message);
        Assert.DoesNotContain("localhost/monitoring/prometheus", message);
    }
}
