using Monitoring.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Monitoring.Tests.EndToEnd;

/// <summary>The real node-exporter on the real host (the shared graph): what the host alerts see of it.</summary>
public class NodeExporterEndToEndTests(StackFixture stack) : IClassFixture<SharedGraphUse>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// The host's root filesystem is reported writable, so the filesystem alerts (which skip read-only filesystems)
    /// watch it: with the host's / bind-mounted read-only and node-exporter in a PID namespace of its own, / would read
    /// <c>node_filesystem_readonly 1</c> (node_exporter issue #2506) and no disk alert could ever fire for it.
    /// </summary>
    [Fact]
    public async Task The_hosts_root_filesystem_is_writable_and_watched_by_the_filesystem_alerts()
    {
        await stack.ReadyAsync();
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The host's root filesystem is mounted into node-exporter on Linux only.");
        var prometheus = new PrometheusApi(stack.Client("prometheus"));

        var readOnly = "";
        await Wait.UntilAsync("node_filesystem_readonly of /", async ct =>
        {
            var result = await prometheus.QueryAsync("node_filesystem_readonly{job=\"node\", mountpoint=\"/\"}", ct);
            readOnly = result.GetArrayLength() == 1 ? result[0].GetProperty("value")[1].GetString()! : "";
            return readOnly.Length > 0;
        }, TimeSpan.FromSeconds(60), Ct);
        Assert.Equal("0", readOnly);

        // The rule's own expression, its threshold opened to 100%, selects /.
        var rule = AlertExpression("NodeFilesystemAlmostOutOfSpace");
        Assert.Contains("* 100 < 5", rule);
        var selected = await prometheus.QueryAsync(rule.Replace("* 100 < 5", "* 100 <= 100", StringComparison.Ordinal), Ct);
        Assert.Contains(selected.EnumerateArray(), r => r.GetProperty("metric").GetProperty("mountpoint").GetString() == "/");
    }

    private static string AlertExpression(string alert)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Repo.Path("provisioning", "prometheus", "alerts.yml")))
        {
            yaml.Load(reader);
        }

        return yaml.Documents[0].AllNodes.OfType<YamlMappingNode>()
            .Single(m => m.Children.TryGetValue(new YamlScalarNode("alert"), out var name) && name.ToString() == alert)
            .Children[new YamlScalarNode("expr")].ToString();
    }
}
