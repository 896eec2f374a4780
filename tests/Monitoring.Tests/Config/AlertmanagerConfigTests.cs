using Monitoring.Tests.Infrastructure;
using Monitoring.Tests.Kubernetes;
using YamlDotNet.RepresentationModel;

namespace Monitoring.Tests.Config;

/// <summary>The checked-in Alertmanager configuration and the copy the AppHost renders, checked by amtool.</summary>
public class AlertmanagerConfigTests(AlertmanagerConfigTests.Amtool amtool) : IClassFixture<AlertmanagerConfigTests.Amtool>
{
    private static readonly string s_source = Repo.Path("provisioning", "alertmanager", "alertmanager.yml");

    /// <summary>The copies rendered by the AppHost's code, each in its own folder under <c>/aspire</c> for amtool.</summary>
    private static (string Folder, Func<AlertmanagerConfigFile, string> Render)[] Copies() =>
    [
        ("url-file", c => c.WithWebhookUrlFiles(new Dictionary<string, string> { ["probes"] = "/aspire/webhooks/probes.url" })),
        ("receivers", c => c.Render(new Dictionary<string, string> { ["probes"] = "/aspire/webhooks/probes.url" }, s_externalReceivers, maxGroupInterval: null)),
        ("capped", c => c.Render(new Dictionary<string, string> { ["probes"] = "/aspire/webhooks/probes.url" }, [], maxGroupInterval: "2s")),
        ("routes", c => c.Render(RouteWebhooks, [], maxGroupInterval: null)),
        ("routes-external", c => c.Render(RouteWebhooks, s_externalReceivers, maxGroupInterval: null)),
    ];

    private static Dictionary<string, string> RouteWebhooks => new() { ["probes"] = "/aspire/webhooks/probes.url", ["watchdog"] = "/aspire/webhooks/watchdog.url" };

    [Fact]
    public async Task Amtool_accepts_alertmanager_yml()
    {
        await ContainerHost.RequireImagesAsync(ContainerHost.AlertmanagerImage);

        var (exitCode, output) = amtool.Result(Amtool.CheckedIn);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Amtool_accepts_the_rendered_copy_whose_webhook_reads_the_runs_url_from_a_file()
    {
        await ContainerHost.RequireImagesAsync(ContainerHost.AlertmanagerImage);
        const string urlFile = "/aspire/webhooks/probes.url";

        var (exitCode, output) = amtool.Result("url-file");

        Assert.True(exitCode == 0, output);
        var probes = ((YamlSequenceNode)Yaml(amtool.Copy("url-file"))["receivers"]).Children.OfType<YamlMappingNode>().Single(r => r["name"].ToString() == "probes");
        var webhook = (YamlMappingNode)((YamlSequenceNode)probes["webhook_configs"]).Children[0];
        Assert.Equal(urlFile, webhook["url_file"].ToString());
        Assert.DoesNotContain(new YamlScalarNode("url"), webhook.Children.Keys);
    }

    [Fact]
    public async Task Amtool_accepts_the_copy_rendered_with_slack_email_and_webhook_receivers()
    {
        await ContainerHost.RequireImagesAsync(ContainerHost.AlertmanagerImage);

        var (exitCode, output) = amtool.Result("receivers");

        Assert.True(exitCode == 0, output);
        Assert.Contains(" - 5 receivers", output);
        var text = File.ReadAllText(amtool.Copy("receivers"));
        Assert.True(text.IndexOf("receiver: webhook", StringComparison.Ordinal) < text.IndexOf("receiver: watchdog", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_max_group_interval_caps_every_routes_timers_and_amtool_accepts_the_copy()
    {
        var root = (YamlMappingNode)Yaml(amtool.Copy("capped"))["route"];
        Assert.Equal("2s", root["group_wait"].ToString());
        Assert.Equal("2s", root["group_interval"].ToString());
        Assert.Equal("4h", root["repeat_interval"].ToString());
        var routes = ((YamlSequenceNode)root["routes"]).Children.OfType<YamlMappingNode>().ToList();
        var watchdog = routes[0];
        // Shorter than the cap: kept.
        Assert.Equal("0s", watchdog["group_wait"].ToString());
        Assert.DoesNotContain(new YamlScalarNode("group_interval"), watchdog.Children.Keys);
        // Longer: capped (the warning route's 1m wait and 10m interval, the critical route's 1m interval).
        Assert.Equal(("0s", "2s"), (routes[1]["group_wait"].ToString(), routes[1]["group_interval"].ToString()));
        Assert.Equal(("2s", "2s"), (routes[2]["group_wait"].ToString(), routes[2]["group_interval"].ToString()));

        await ContainerHost.RequireImagesAsync(ContainerHost.AlertmanagerImage);
        var (exitCode, output) = amtool.Result("capped");
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

    /// <summary>Slack gets critical and warning alerts, e-mail critical ones, the generic webhook warnings only.</summary>
    private static readonly ExternalReceiver[] s_externalReceivers =
    [
        new(ExternalReceiverKind.Slack, new Dictionary<string, string> { ["api_url"] = "https://slack.invalid/hook", ["channel"] = "#alerts" }, ["critical", "warning"]),
        new(ExternalReceiverKind.Email, new Dictionary<string, string> { ["to"] = "ops@example.invalid", ["smarthost"] = "smtp.example.invalid:587", ["from"] = "am@example.invalid" }, ["critical"]),
        new(ExternalReceiverKind.Webhook, new Dictionary<string, string> { ["url"] = "https://hook.invalid/" }, ["warning"]),
    ];

    private static readonly (bool WithExternalReceivers, string Labels, string Receivers, string Route)[] s_routes =
    [
        (false, "alertname=Watchdog severity=none", "watchdog", "{alertname=\"Watchdog\"}"),
        (false, "alertname=PostgresDown severity=critical", "probes", "{severity=\"critical\"}"),
        (false, "alertname=ServiceHighErrorRatio severity=warning", "probes", "{severity=\"warning\"}"),
        (false, "alertname=Unrated", "probes", "default-route"),
        (true, "alertname=PostgresDown severity=critical", "slack,email,probes", "{severity=\"critical\"}"),
        (true, "alertname=ServiceHighErrorRatio severity=warning", "slack,webhook,probes", "{severity=\"warning\"}"),
        (true, "alertname=Watchdog severity=none", "watchdog", "{alertname=\"Watchdog\"}"),
    ];

    public static TheoryData<bool, string, string, string> Routes() => [.. s_routes];

    // The external receivers are the AppHost's parameters; on the cluster they are the team's own.
    public static TheoryData<string, string, string> ExportedRoutes() => [.. s_exportedRoutes];

    private static readonly (string Labels, string Receivers, string Route)[] s_exportedRoutes =
    [
        .. s_routes.Where(r => !r.WithExternalReceivers).Select(r => (r.Labels, r.Receivers, r.Route)),
        // The chart's InfoInhibitor goes to the receiver that drops it (kube-prometheus-stack's general.rules).
        ("alertname=InfoInhibitor severity=none", "null", "{alertname=\"InfoInhibitor\"}"),
    ];

    /// <summary>
    /// Each route, proven by amtool's own router (<c>amtool config routes test --tree</c>): which receivers an alert of
    /// these labels reaches, and through which route, in the checked-in file and in the copy rendered with the Slack,
    /// e-mail and webhook receivers and their severities.
    /// </summary>
    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Amtool_routes_each_severity_to_its_receivers_and_route(bool withExternalReceivers, string labels, string receivers, string route)
    {
        await ContainerHost.RequireImagesAsync(ContainerHost.AlertmanagerImage);

        var (exitCode, output) = amtool.Result(Amtool.RouteTest(withExternalReceivers, labels, receivers));

        Assert.True(exitCode == 0, output);
        Assert.Contains(route, output[output.IndexOf("Matching routes:", StringComparison.Ordinal)..]);
    }

    [Fact]
    public async Task Amtool_accepts_the_configuration_exported_for_kube_prometheus_stack()
    {
        await ContainerHost.RequireImagesAsync(ContainerHost.AlertmanagerImage);

        var (exitCode, output) = amtool.Result(Amtool.Exported);

        Assert.True(exitCode == 0, output);
        // Ours and the one that drops the chart's InfoInhibitor.
        Assert.Contains(" - 3 receivers", output);
    }

    /// <summary>The routes of the configuration exported for the cluster (docs/kubernetes.md), by amtool's router, as those of the checked-in file.</summary>
    [Theory]
    [MemberData(nameof(ExportedRoutes))]
    public async Task Amtool_routes_the_exported_configuration_as_the_checked_in_one(string labels, string receivers, string route)
    {
        await ContainerHost.RequireImagesAsync(ContainerHost.AlertmanagerImage);

        var (exitCode, output) = amtool.Result(Amtool.RouteTest(Amtool.Exported, labels, receivers));

        Assert.True(exitCode == 0, output);
        Assert.Contains(route, output[output.IndexOf("Matching routes:", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void Critical_notifies_at_once_and_hourly_warnings_wait_and_repeat_less()
    {
        var routes = ((YamlSequenceNode)((YamlMappingNode)Yaml(s_source)["route"])["routes"]).Children.OfType<YamlMappingNode>().ToList();
        YamlMappingNode Route(string matcher) => routes.Single(r => ((YamlSequenceNode)r["matchers"]).Children.Single().ToString() == matcher);

        var critical = Route("severity=\"critical\"");
        Assert.Equal(("0s", "1m", "1h"), (critical["group_wait"].ToString(), critical["group_interval"].ToString(), critical["repeat_interval"].ToString()));
        var warning = Route("severity=\"warning\"");
        Assert.Equal(("1m", "10m", "4h"), (warning["group_wait"].ToString(), warning["group_interval"].ToString(), warning["repeat_interval"].ToString()));
    }

    private static YamlMappingNode Yaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>
    /// The copies rendered, and every amtool run of the class in one container (<see cref="ContainerHost.RunToolEach"/>),
    /// run once, when a test first asks for a result; each test asserts on its own run's exit code and output.
    /// </summary>
    public sealed class Amtool : IDisposable
    {
        /// <summary>The run that checks the checked-in file.</summary>
        public const string CheckedIn = "checked-in";

        private readonly ReadableTempDirectory _copies = new();
        private readonly Dictionary<string, IReadOnlyList<string>> _runs = new(StringComparer.Ordinal);
        private readonly Lazy<Dictionary<string, (int ExitCode, string Output)>> _results;

        /// <summary>Renders the copies and lists the runs.</summary>
        public Amtool()
        {
            _runs[CheckedIn] = ["check-config", "/etc/alertmanager/alertmanager.yml"];
            foreach (var (folder, render) in Copies())
            {
                // Each from a fresh load: rendering changes the loaded file.
                _copies.Write(Path.Combine(folder, "alertmanager.yml"), render(AlertmanagerConfigFile.Load(s_source)));
                _runs[folder] = ["check-config", $"/aspire/{folder}/alertmanager.yml"];
            }

            _copies.Write(Path.Combine(Exported, "alertmanager.yml"), ExportedCluster.Default.AlertmanagerConfig);
            _runs[Exported] = ["check-config", $"/aspire/{Exported}/alertmanager.yml"];
            foreach (var (labels, receivers, _) in s_exportedRoutes)
            {
                _runs[RouteTest(Exported, labels, receivers)] =
                [
                    "config", "routes", "test", $"--config.file=/aspire/{Exported}/alertmanager.yml", "--tree", $"--verify.receivers={receivers}", .. labels.Split(' '),
                ];
            }

            foreach (var (withExternalReceivers, labels, receivers, _) in s_routes)
            {
                _runs[RouteTest(withExternalReceivers, labels, receivers)] =
                [
                    "config", "routes", "test", $"--config.file=/aspire/{(withExternalReceivers ? "routes-external" : "routes")}/alertmanager.yml",
                    "--tree", $"--verify.receivers={receivers}", .. labels.Split(' '),
                ];
            }

            _results = new(() =>
            {
                var keys = _runs.Keys.ToList();
                var results = ContainerHost.RunToolEach(ContainerHost.AlertmanagerImage, "amtool", [.. keys.Select(k => _runs[k])],
                    new Dictionary<string, string> { [Repo.Path("provisioning", "alertmanager")] = "/etc/alertmanager", [_copies.Path] = "/aspire" },
                    // Seconds on a quiet machine; much longer beside the graphs starting at the same time.
                    TimeSpan.FromMinutes(4));
                return keys.Zip(results).ToDictionary(r => r.First, r => r.Second, StringComparer.Ordinal);
            });
        }

        /// <summary>The run (and folder) of the configuration exported for kube-prometheus-stack.</summary>
        public const string Exported = "kubernetes";

        /// <summary>The key of a route test's run.</summary>
        public static string RouteTest(bool withExternalReceivers, string labels, string receivers) => RouteTest(withExternalReceivers.ToString(), labels, receivers);

        /// <summary>The key of a route test's run on a named configuration.</summary>
        public static string RouteTest(string configuration, string labels, string receivers) => $"routes {configuration} {labels} {receivers}";

        /// <summary>A run's exit code and output.</summary>
        public (int ExitCode, string Output) Result(string run) => _results.Value[run];

        /// <summary>The path of a rendered copy on the host.</summary>
        public string Copy(string folder) => Path.Combine(_copies.Path, folder, "alertmanager.yml");

        /// <inheritdoc/>
        public void Dispose() => _copies.Dispose();
    }
}
