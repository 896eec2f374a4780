using Monitoring.AppHost;
using Monitoring.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Monitoring.Tests.Config;

/// <summary>The checked-in Alertmanager configuration and the copy the AppHost renders, checked by amtool.</summary>
public class AlertmanagerConfigTests
{
    private static readonly string s_source = Repo.Path("provisioning", "alertmanager", "alertmanager.yml");

    [Fact]
    public void Amtool_accepts_alertmanager_yml()
    {
        ContainerHost.SkipUnlessImages(ContainerHost.AlertmanagerImage);

        var (exitCode, output) = ContainerHost.RunTool(ContainerHost.AlertmanagerImage, "amtool", ["check-config", "/etc/alertmanager/alertmanager.yml"],
            new Dictionary<string, string> { [Repo.Path("provisioning", "alertmanager")] = "/etc/alertmanager" });

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public void Amtool_accepts_the_rendered_copy_whose_webhook_reads_the_runs_url_from_a_file()
    {
        ContainerHost.SkipUnlessImages(ContainerHost.AlertmanagerImage);
        using var generated = new ReadableTempDirectory();
        const string urlFile = "/aspire/webhooks/probes.url";
        var copy = generated.Write("alertmanager.yml", AlertmanagerConfigFile.Load(s_source).WithWebhookUrlFiles(new Dictionary<string, string> { ["probes"] = urlFile }));

        var (exitCode, output) = ContainerHost.RunTool(ContainerHost.AlertmanagerImage, "amtool", ["check-config", "/aspire/alertmanager.yml"],
            new Dictionary<string, string> { [generated.Path] = "/aspire" });

        Assert.True(exitCode == 0, output);
        var probes = ((YamlSequenceNode)Yaml(copy)["receivers"]).Children.OfType<YamlMappingNode>().Single(r => r["name"].ToString() == "probes");
        var webhook = (YamlMappingNode)((YamlSequenceNode)probes["webhook_configs"]).Children[0];
        Assert.Equal(urlFile, webhook["url_file"].ToString());
        Assert.DoesNotContain(new YamlScalarNode("url"), webhook.Children.Keys);
    }

    [Fact]
    public void Amtool_accepts_the_copy_rendered_with_slack_email_and_webhook_receivers()
    {
        ContainerHost.SkipUnlessImages(ContainerHost.AlertmanagerImage);
        using var generated = new ReadableTempDirectory();
        var copy = generated.Write("alertmanager.yml", AlertmanagerConfigFile.Load(s_source).Render(
            new Dictionary<string, string> { ["probes"] = "/aspire/webhooks/probes.url" },
            [
                (ExternalReceiverKind.Slack, new Dictionary<string, string> { ["api_url"] = "https://slack.invalid/hook", ["channel"] = "#alerts" }),
                (ExternalReceiverKind.Email, new Dictionary<string, string> { ["to"] = "ops@example.invalid", ["smarthost"] = "smtp.example.invalid:587", ["from"] = "am@example.invalid" }),
                (ExternalReceiverKind.Webhook, new Dictionary<string, string> { ["url"] = "https://hook.invalid/" }),
            ],
            maxGroupInterval: null));

        var (exitCode, output) = ContainerHost.RunTool(ContainerHost.AlertmanagerImage, "amtool", ["check-config", "/aspire/alertmanager.yml"],
            new Dictionary<string, string> { [generated.Path] = "/aspire" });

        Assert.True(exitCode == 0, output);
        Assert.Contains(" - 5 receivers", output);
        var text = File.ReadAllText(copy);
        Assert.True(text.IndexOf("receiver: webhook", StringComparison.Ordinal) < text.IndexOf("receiver: watchdog", StringComparison.Ordinal));
    }

    [Fact]
    public void A_max_group_interval_caps_every_routes_timers_and_amtool_accepts_the_copy()
    {
        using var generated = new ReadableTempDirectory();
        var copy = generated.Write("alertmanager.yml", AlertmanagerConfigFile.Load(s_source).Render(
            new Dictionary<string, string> { ["probes"] = "/aspire/webhooks/probes.url" }, [], maxGroupInterval: "2s"));

        var root = (YamlMappingNode)Yaml(copy)["route"];
        Assert.Equal("2s", root["group_wait"].ToString());
        Assert.Equal("2s", root["group_interval"].ToString());
        Assert.Equal("4h", root["repeat_interval"].ToString());
        var watchdog = ((YamlSequenceNode)root["routes"]).Children.OfType<YamlMappingNode>().Single();
        // Shorter than the cap: kept.
        Assert.Equal("0s", watchdog["group_wait"].ToString());
        Assert.DoesNotContain(new YamlScalarNode("group_interval"), watchdog.Children.Keys);

        ContainerHost.SkipUnlessImages(ContainerHost.AlertmanagerImage);
        var (exitCode, output) = ContainerHost.RunTool(ContainerHost.AlertmanagerImage, "amtool", ["check-config", "/aspire/alertmanager.yml"],
            new Dictionary<string, string> { [generated.Path] = "/aspire" });
        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public void Rendering_a_receiver_the_file_lacks_names_the_file()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            AlertmanagerConfigFile.Load(s_source).WithWebhookUrlFiles(new Dictionary<string, string> { ["pager"] = "/aspire/webhooks/pager.url" }));

        Assert.Contains(s_source, ex.Message);
        Assert.Contains("'pager'", ex.Message);
    }

    [Fact]
    public void Probes_receives_every_alert_with_resolutions()
    {
        var text = File.ReadAllText(s_source);
        var config = AlertmanagerConfigFile.Load(s_source);

        Assert.Contains("probes", config.ReceiverNames);
        Assert.Contains("receiver: probes", text);
        Assert.Contains("send_resolved: true", text);
    }

    private static YamlMappingNode Yaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
