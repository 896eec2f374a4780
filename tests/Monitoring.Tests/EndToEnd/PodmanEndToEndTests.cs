using Monitoring.Probes.Work;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>
/// Podman stays supported: the spine on Podman 4.3 (Debian 12), where Aspire's container tunnel cannot run, so Probes
/// runs as its container (the <c>podman</c> launch profile). A failing service is alerted to the webhook and the
/// resolution follows, as on Docker. Its graph starts once the shared graph's start has ended
/// (<see cref="StackFixture.StartEndedAsync"/>): the shared graph's and the fault test's starts, on the run's longest
/// paths, have the CPU first (<see cref="TestStack.StartLock"/>).
/// </summary>
/// <param name="stack">The shared graph, whose start this test's waits for.</param>
public class PodmanEndToEndTests(StackFixture stack)
{
    private static readonly Dictionary<string, string> Probes = new() { ["job"] = "probes" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task On_podman_with_probes_as_a_container_a_failing_service_is_alerted_and_resolved()
    {
        await ContainerHost.RequireImagesOnAsync(ContainerHost.Podman, ContainerHost.PrometheusImage, ContainerHost.AlertmanagerImage, ContainerHost.ProbesBaseImage);
        await stack.StartEndedAsync().WaitAsync(Ct);
        using var volumes = new TestVolumes(ContainerHost.Podman);
        await using var app = await TestStack.StartAsync(volumes, Ct,
        [
            .. TestStack.OnPodman,
            .. TestStack.Only("alertmanager"),
        ]);
        var probes = app.CreateHttpClient("probes", "http");

        var since = DateTimeOffset.UtcNow;
        await Scenarios.StartAsync(probes, "error-burst", """{"durationSeconds": 600, "errorRatio": 1}""", Ct);
        var firing = await Webhook.AlertAsync(probes, "ServiceHighErrorRatio", "firing", since, Ct, Probes);
        Assert.Equal("probes", firing.Receiver);

        var ended = DateTimeOffset.UtcNow;
        await probes.DeleteAsync("/scenarios/error-burst", Ct);
        // Good requests from many callers until the resolution is delivered (Callers.Rush).
        await Callers.RushUntilAsync(probes, WorkEndpoints.Path, Callers.Rush, () => Webhook.AlertAsync(probes, "ServiceHighErrorRatio", "resolved", ended, Ct, Probes), Ct);
    }
}
