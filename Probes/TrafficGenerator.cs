using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Monitoring.Probes.Work;

namespace Monitoring.Probes;

/// <summary>Options of the Probes service (section <c>Probes</c>).</summary>
public sealed class ProbesOptions
{
    /// <summary>How often a request is sent to <c>GET /work</c>, in milliseconds (10 to 10000).</summary>
    [Range(10, 10000)]
    public int TrafficIntervalMilliseconds { get; set; } = 100;

    /// <summary>How many Alertmanager notifications are kept in memory (1 to 100000); the oldest go first.</summary>
    [Range(1, 100000)]
    public int NotificationCapacity { get; set; } = 1000;
}

/// <summary>
/// A steady stream of real HTTP requests to the service's own <c>GET /work</c>, over loopback, so its request metrics
/// always have data; the running scenarios decide which fail and how slow they are. Requests go out on a plain client
/// (no retries: a failure must stay a failure) and do not wait for each other, as independent callers would not.
/// </summary>
/// <param name="server">The server, whose address the requests go to.</param>
/// <param name="lifetime">Started once the server listens.</param>
/// <param name="options">The traffic interval.</param>
/// <param name="time">The clock.</param>
/// <param name="logger">Where a failure to reach the service is logged.</param>
public sealed class TrafficGenerator(IServer server, IHostApplicationLifetime lifetime, IOptions<ProbesOptions> options, TimeProvider time, ILogger<TrafficGenerator> logger)
    : BackgroundService
{
    // Requests in flight at most (a latency spike of 30 s at 10 per second would otherwise pile up 300).
    private const int MaxInFlight = 64;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(started.SetResult);
        await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        if (OwnAddress() is not { } address)
        {
            logger.LogWarning("No HTTP address to send traffic to; GET {Path} gets none.", WorkEndpoints.Path);
            return;
        }

        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        using var inFlight = new SemaphoreSlim(MaxInFlight);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.TrafficIntervalMilliseconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (inFlight.Wait(0, CancellationToken.None))
            {
                _ = SendAsync(client, inFlight, stoppingToken);
            }
        }
    }

    private async Task SendAsync(HttpClient client, SemaphoreSlim inFlight, CancellationToken stoppingToken)
    {
        try
        {
            using var response = await client.GetAsync(WorkEndpoints.Path, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            if (!stoppingToken.IsCancellationRequested)
            {
                logger.LogDebug(ex, "GET {Path} did not answer.", WorkEndpoints.Path);
            }
        }
        finally
        {
            inFlight.Release();
        }
    }

    /// <summary>The first HTTP address the server listens on, as a loopback URL (<c>http://+:8080</c> becomes <c>http://127.0.0.1:8080</c>).</summary>
    private Uri? OwnAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        if (address is null)
        {
            return null;
        }

        foreach (var wildcard in new[] { "://+", "://*", "://[::]", "://0.0.0.0", "://localhost" })
        {
            address = address.Replace(wildcard, "://127.0.0.1", StringComparison.OrdinalIgnoreCase);
        }

        return new Uri(address);
    }
}
