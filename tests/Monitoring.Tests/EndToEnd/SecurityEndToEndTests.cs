using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>What the running stack exposes on the host.</summary>
public partial class SecurityEndToEndTests(StackFixture stack) : IClassFixture<SharedGraphUse>
{
    [Fact]
    public async Task Every_port_the_stack_opens_on_the_host_listens_on_loopback_only()
    {
        await stack.ReadyAsync();

        // Aspire's proxies for every endpoint (the UIs and APIs, Prometheus' lifecycle API included) ...
        var ports = stack.App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .SelectMany(r => r.Annotations.OfType<EndpointAnnotation>())
            .Select(e => e.AllocatedEndpoint?.Port).OfType<int>().ToHashSet();
        // ... and the host ports the container runtime publishes for the graph's containers (not the machine's others: a
        // developer's own database may well listen everywhere).
        var containers = stack.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ContainerResource>()
            .Select(c => stack.App.ContainerIdOf(c.Name)).ToList();
        foreach (var row in ContainerHost.Run(["ps", "--no-trunc", "--format", "{{.ID}} {{.Ports}}"]).Output.Split('\n'))
        {
            if (containers.Any(id => row.StartsWith(id, StringComparison.Ordinal)))
            {
                foreach (Match published in PublishedPort().Matches(row))
                {
                    ports.Add(int.Parse(published.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        var listening = ListeningSockets.Read().Where(s => ports.Contains(s.Port)).ToList();

        Assert.True(listening.Count >= stack.ResourceNames.Count, $"Expected a listening socket per resource at least; found {listening.Count} for {ports.Count} ports.");
        var exposed = listening.Where(s => !IPAddress.IsLoopback(s.Address)).ToList();
        Assert.True(exposed.Count == 0, "Listening beyond loopback: " + string.Join(", ", exposed.Select(s => $"{s.Address}:{s.Port}")));
    }

    // "127.0.0.1:38371->9100/tcp" or "0.0.0.0:38371->9100/tcp": the host port, whatever address it is bound to.
    [GeneratedRegex(@"(?<address>[\d.:\[\]]+):(?<port>\d+)->")]
    private static partial Regex PublishedPort();
}
