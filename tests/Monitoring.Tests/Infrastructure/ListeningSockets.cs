using System.Globalization;
using System.Net;

namespace Monitoring.Tests.Infrastructure;

/// <summary>The TCP sockets listening on this machine, read from <c>/proc/net/tcp</c> and <c>/proc/net/tcp6</c>.</summary>
internal static class ListeningSockets
{
    private const string ListenState = "0A";

    /// <summary>Every listening socket: its local address and port.</summary>
    public static IReadOnlyList<(IPAddress Address, int Port)> Read() =>
        [.. ReadFile("/proc/net/tcp"), .. ReadFile("/proc/net/tcp6")];

    private static IEnumerable<(IPAddress, int)> ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || fields[3] != ListenState)
            {
                continue;
            }

            var (hex, port) = (fields[1].Split(':')[0], int.Parse(fields[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            yield return (ParseAddress(hex), port);
        }
    }

    /// <summary>The kernel prints addresses as 32-bit words in host (little-endian) order.</summary>
    private static IPAddress ParseAddress(string hex)
    {
        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < hex.Length / 8; word++)
        {
            for (var b = 0; b < 4; b++)
            {
                bytes[(word * 4) + b] = byte.Parse(hex.AsSpan((word * 8) + ((3 - b) * 2), 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        }

        return new IPAddress(bytes);
    }
}
