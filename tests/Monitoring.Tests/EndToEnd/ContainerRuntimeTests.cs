using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>Without a container runtime start-up stops at once and says what to do; an image that cannot be had is named.</summary>
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
    public async Task An_image_the_runtime_neither_holds_nor_can_pull_is_named_with_the_runtimes_answer()
    {
        await ContainerHost.RequireImagesAsync(ContainerHost.PrometheusImage);
        // A registry on a loopback port nothing listens on: the pull fails at once, and nothing leaves the machine.
        var absent = new PinnedImage("never-built", "localhost:1", "monitoring/never-built", "0.0.1", "", "");
        var present = PinnedImages.Of("prometheus");

        var unavailable = ImageAvailability.UnavailableComponents(ContainerHost.Runtime, [absent, present]);

        var reason = Assert.Single(unavailable, u => u.Key == "never-built").Value;
        Assert.Contains($"localhost:1/monitoring/never-built:0.0.1 is not on this machine, and {ContainerHost.Runtime} could not pull it: ", reason);
        Assert.Contains("Monitoring:Components:never-built=false", reason);
        Assert.False(unavailable.ContainsKey("prometheus"));
    }
}
