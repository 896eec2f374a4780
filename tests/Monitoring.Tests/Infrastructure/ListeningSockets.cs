using System.Net;
using System.Net.NetworkInformation;

namespace Monitoring.Tests.Infrastructure;

/// <summary>The TCP sockets listening on this machine, as the OS reports them (on every OS .NET runs on).</summary>
internal static class ListeningSockets
{
    /// <summary>Every listening socket: its local address and port.</summary>
    public static IReadOnlyList<(IPAddress Address, int Port)> Read() =>
        [.. IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Select(e => (e.Address.IsIPv4MappedToIPv6 ? e.Address.MapToIPv4() : e.Address, e.Port))];
}
