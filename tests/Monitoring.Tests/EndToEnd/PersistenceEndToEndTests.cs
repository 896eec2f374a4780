using Microsoft.Extensions.DependencyInjection;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>
/// A volume that cannot be written is named, with the fix. (That the data in the volumes survives stopping the whole
/// AppHost and starting it again is proven at the end of <see cref="FaultEndToEndTests"/>, on its graph.)
/// </summary>
public class PersistenceEndToEndTests(StackFixture stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_volume_prometheus_cannot_write_is_named_in_its_log_with_the_fix()
    {
        await ContainerHost.RequireImagesAsync([.. ContainerHost.GraphImages, ContainerHost.ProbesBaseImage]);
        await stack.StartEndedAsync().WaitAsync(Ct);
        using var volumes = new TestVolumes();
        // A volume another tool created and filled as root: Prometheus, which runs as nobody, cannot write there.
        var volume = volumes.NameOf("prometheus", "/prometheus");
        Assert.Equal(0, ContainerHost.Run(["volume", "create", volume]).ExitCode);
        Assert.Equal(0, ContainerHost.Run(["run", "--rm", "--network=none", "-v", $"{volume}:/data", ContainerHost.PostgresImage, "touch", "/data/owned-by-root"]).ExitCode);

        // Prometheus alone: Probes (which cannot be switched off) is not started, it plays no part here. As its container,
        // so that Prometheus, which scrapes it, does not wait for a container tunnel to a host process (15 to 25 s here).
        await using var app = await TestStack.BuildAsync(volumes, Ct,
            builder => builder.CreateResourceBuilder(builder.Resources.Single(r => r.Name == "probes")).WithExplicitStart(),
            [.. TestStack.Only(), "Monitoring:ProbesHosting=Container"]);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(4));
        await app.StartAsync(timeout.Token);

        // The log stream has its name once the container exists; what was logged before is replayed.
        var prometheus = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "prometheus");
        var seen = new List<string>();
        string? message = null;
        try
        {
            await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(prometheus).WithCancellation(timeout.Token))
            {
                seen.AddRange(batch.Select(l => l.Content));
                message = seen.FirstOrDefault(l => l.Contains("cannot write its volume", StringComparison.Ordinal));
                if (message is not null)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            app.ResourceNotifications.TryGetCurrentState("prometheus", out var state);
            Assert.Fail($"No explanation in prometheus' log within 4 minutes; its state: {state?.Snapshot.State?.Text}; its log:{Environment.NewLine}{string.Join(Environment.NewLine, seen.TakeLast(20))}");
        }

        Assert.NotNull(message);
        Assert.Contains($"'{volume}' (mounted at /prometheus)", message);
        Assert.Contains($"volume rm {volume}", message);
        Assert.Contains("--entrypoint chown", message);
    }
}
