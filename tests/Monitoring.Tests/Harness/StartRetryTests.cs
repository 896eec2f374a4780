using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Harness;

/// <summary>
/// A graph whose container cannot start because another process listens on its host port is started once more, with
/// the warning eng/test.sh repeats (<see cref="TestStack.PortRetryWarning"/>), and the failure names the container and
/// the runtime's line: the runtime's own message is what <see cref="TestStack.StartBuiltAsync"/> recognises. (Seen in a
/// full run: Podman found 127.0.0.1:32909, which the orchestrator had picked for Alertmanager, taken by the time it
/// started the container, and so on each of the orchestrator's retries.)
/// </summary>
/// <param name="stack">The shared graph, whose start this one's two wait for (they would compete with it for the CPU).</param>
public class StartRetryTests(StackFixture stack)
{
    private const string Resource = "port-taken-probe";

    [Fact]
    public async Task A_container_whose_host_port_is_taken_is_started_once_more_and_named()
    {
        var ct = TestContext.Current.CancellationToken;
        var image = PinnedImages.Of("pushgateway");
        await ContainerHost.RequireImagesAsync(image.OfficialReference);
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        await stack.StartEndedAsync().WaitAsync(ct);

        var builds = 0;
        Task<DistributedApplication> Build(CancellationToken _)
        {
            Interlocked.Increment(ref builds);
            // A graph of its own, with the AppHost's assembly for where the orchestrator is (its build's metadata).
            var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
            {
                Args = [$"ASPIRE_CONTAINER_RUNTIME={ContainerHost.Runtime}"],
                AssemblyName = typeof(PinnedImages).Assembly.GetName().Name,
                DisableDashboard = true,
            });
            builder.Services.AddLogging(logging => logging.ClearProviders());
            // Not proxied: the runtime itself publishes the port, as it publishes the one the orchestrator picks behind
            // each proxied endpoint (the port Podman found taken, above).
            builder.AddContainer(Resource, image.Image, image.Tag).WithImageRegistry(image.Registry)
                .WithEndpoint(targetPort: 9091, port: port, scheme: "http", name: "http", isProxied: false);
            return Task.FromResult(builder.Build());
        }

        var warnings = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Exception failure;
        await TestStack.StartLock.WaitAsync(ct);
        try
        {
            // Should the start succeed after all (a runtime that does not publish ports itself), the app is disposed.
            failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await using var started = await TestStack.StartBuiltAsync(Build, TimeSpan.FromMinutes(2), ct, warnings.Enqueue);
            });
        }
        finally
        {
            TestStack.StartLock.Release();
        }

        Assert.True(builds == 2, failure.ToString());
        Assert.Contains($"{Resource}: ", failure.Message);
        Assert.Contains("address already in use", failure.Message);
        Assert.StartsWith(TestStack.PortRetryWarning, Assert.Single(warnings));
    }
}
