namespace Monitoring.Tests.EndToEnd;

/// <summary>Without a container runtime, start-up stops at once and says what to install.</summary>
public class ContainerRuntimeTests
{
    [Fact]
    public async Task A_missing_runtime_stops_start_up_at_once_saying_what_to_install()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--ASPIRE_CONTAINER_RUNTIME=no-such-runtime", "--Monitoring:ProbesHosting=Container"], (options, _) => options.DisableDashboard = true, ct);
        await using var app = await builder.BuildAsync(ct);

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct));

        var message = (ex as AggregateException)?.InnerException?.Message ?? ex.Message;
        Assert.Contains("No container runtime: 'no-such-runtime' is not installed", message);
        Assert.Contains("Install Docker (Docker Desktop) or Podman", message);
    }
}
