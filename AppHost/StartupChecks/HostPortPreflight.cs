using System.Net;
using System.Net.Sockets;

namespace Monitoring.AppHost;

/// <summary>
/// Checks, before anything starts, that every fixed host port of the model (<c>Monitoring:Ports</c>, a launch
/// profile's URL) is free on loopback, so a port another program holds stops start-up with a message naming the port,
/// the resource and the setting that moves it, instead of a resource failing on its own later.
/// </summary>
internal static class HostPortPreflight
{
    // One check at a time in a process: a process that runs several AppHosts (the test suite does) would otherwise see
    // another AppHost's check, binding the same port at the same moment, as another program holding it.
    private static readonly Lock s_checking = new();

    /// <summary>Runs the check at <see cref="BeforeStartEvent"/>.</summary>
    /// <param name="builder">The application builder.</param>
    public static void Register(IDistributedApplicationBuilder builder) =>
        builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
        {
            var taken = Taken(e.Model);
            return taken.Count == 0 ? Task.CompletedTask : throw new DistributedApplicationException(string.Join(Environment.NewLine, taken));
        });

    /// <summary>A message for each fixed port of the model that is not free.</summary>
    private static List<string> Taken(DistributedApplicationModel model)
    {
        using var checking = s_checking.EnterScope();
        return [.. model.Resources
            .SelectMany(r => r.Annotations.OfType<EndpointAnnotation>().Where(a => a.Port is not null).Select(a => (Resource: r, Endpoint: a)))
            .Where(x => !IsFree(x.Endpoint.Port!.Value))
            .Select(x =>
                $"Port {x.Endpoint.Port} on 127.0.0.1, wanted by {x.Resource.Name} (endpoint '{x.Endpoint.Name}'), is already in use by another program. " +
                $"Stop that program, or move {x.Resource.Name} with {MonitoringOptions.SectionName}:Ports:{x.Resource.Name}=<free port> " +
                "(see docs/troubleshooting.md, 'Port conflicts').")];
    }

    private static bool IsFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }
}
