using System.Net;
using System.Net.Sockets;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>A fixed port that another program holds stops start-up at once, naming the port, the resource and the setting.</summary>
public class HostPortTests
{
    [Fact]
    public async Task A_port_already_taken_stops_start_up_saying_which_and_how_to_move_it()
    {
        var ct = TestContext.Current.CancellationToken;
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--Monitoring:Ports:prometheus={port}"], (options, _) => options.DisableDashboard = true, ct);
        var message = await FailedStart.MessageAsync(builder, ct);

        Assert.Contains($"Port {port} on 127.0.0.1, wanted by prometheus", message);
        Assert.Contains("Monitoring:Ports:prometheus=<free port>", message);
    }
}
