using System.Text.RegularExpressions;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>
/// A broken provisioning file stops start-up with one message naming the file and line, before any resource is
/// created. Each test breaks one file in a copy of provisioning/ and points the AppHost at the copy.
/// </summary>
public class BadProvisioningTests
{
    // A value that is itself a mapping: YAML rejects it on that very line.
    private const string BrokenYaml = "\nbroken: a: b\n";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("prometheus/prometheus.yml", BrokenYaml)]
    [InlineData("prometheus/alerts.yml", BrokenYaml)]
    [InlineData("alertmanager/alertmanager.yml", BrokenYaml)]
    [InlineData("statsd/mappings.yml", BrokenYaml)]
    [InlineData("blackbox/config.yml", BrokenYaml)]
    [InlineData("grafana/provisioning/datasources/prometheus.yml", BrokenYaml)]
    [InlineData("grafana/dashboards/kafka.json", "\n{ \"not\": json")]
    public async Task A_broken_file_stops_start_up_naming_the_file_and_line_and_starts_nothing(string file, string damage)
    {
        using var copy = new ProvisioningCopy();
        var broken = copy.File(file);
        var line = File.ReadAllLines(broken).Length + 2;
        File.AppendAllText(broken, damage);

        // As on a machine with every image (every component's files are checked), with no runtime needed: the files
        // are read before anything asks one.
        var message = await FailedStartMessageAsync(copy, $"ASPIRE_CONTAINER_RUNTIME={AppHostModel.EveryImageRuntime}");

        Assert.True(Regex.IsMatch(message, $@"{Regex.Escape(broken)}:{line}\b"), message);
    }

    /// <summary>
    /// A component added to the AppHost (here the Pushgateway, by its scrape target) whose job <c>prometheus.yml</c>
    /// lacks: start-up stops before anything starts, naming the file and the job to add, as it is to be written.
    /// </summary>
    [Fact]
    public async Task A_scrape_target_whose_job_prometheus_yml_lacks_stops_start_up_giving_the_job_to_add()
    {
        using var copy = new ProvisioningCopy();
        var config = copy.File("prometheus/prometheus.yml");
        var job = "  - job_name: pushgateway\n    honor_labels: true\n    file_sd_configs:\n      - files: [/aspire/targets/pushgateway.json]\n";
        var text = File.ReadAllText(config).ReplaceLineEndings("\n");
        Assert.Contains(job, text);
        File.WriteAllText(config, text.Replace(job, "", StringComparison.Ordinal));

        var message = await FailedStartMessageAsync(copy, $"ASPIRE_CONTAINER_RUNTIME={AppHostModel.EveryImageRuntime}");

        Assert.Contains($"{config}: no scrape job reads /aspire/targets/pushgateway.json, so the targets of 'pushgateway' would never be scraped.", message);
        Assert.Contains("  - job_name: pushgateway\n    file_sd_configs:\n      - files: [/aspire/targets/pushgateway.json]", message.ReplaceLineEndings("\n"));
    }

    /// <summary>
    /// Files that parse but that the component would reject: its own validator (promtool, amtool, blackbox_exporter
    /// --config.check), run from its image, stops start-up with the tool's message naming the file on the host.
    /// </summary>
    [Theory]
    [InlineData("prometheus/alerts.yml", "expr: vector(1)\n", "expr: vector(1) +\n", "could not parse expression")]
    [InlineData("prometheus/prometheus.yml", "scrape_timeout: 10s", "scrape_timeout: 20s", "scrape timeout greater than scrape interval")]
    [InlineData("alertmanager/alertmanager.yml", "receiver: watchdog\n", "receiver: nowhere\n", "undefined receiver \"nowhere\" used in route")]
    [InlineData("blackbox/config.yml", "timeout: 5s\n", "timout: 5s\n", "field timout not found")]
    public async Task A_file_its_component_would_reject_stops_start_up_with_the_validators_message(string file, string find, string replace, string expected)
    {
        await ContainerHost.RequireImagesAsync(ContainerHost.GraphImages);
        using var copy = new ProvisioningCopy();
        var broken = copy.File(file);
        var text = File.ReadAllText(broken);
        Assert.Contains(find, text);
        var line = text[..text.IndexOf(find, StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        File.WriteAllText(broken, text.Replace(find, replace, StringComparison.Ordinal));

        var message = await FailedStartMessageAsync(copy, [.. TestStack.Settings.Select(s => s.Setting)]);

        Assert.Contains(expected, message);
        Assert.Contains(broken, message);
        // Only the error: no log level, timestamp or source line of the tool's logging.
        Assert.DoesNotMatch(@"\b(level|time|ts|source|caller)=", message);
        if (file.EndsWith("alerts.yml", StringComparison.Ordinal))
        {
            // promtool names the rule's line and column.
            Assert.Contains($"{broken}: {line}:", message);
        }
        else if (file.StartsWith("blackbox", StringComparison.Ordinal))
        {
            Assert.Contains($"line {line}:", message);
        }
    }

    /// <summary>Starts the AppHost on the copy, expects start-up to fail and nothing to have started; returns the error.</summary>
    private static async Task<string> FailedStartMessageAsync(ProvisioningCopy copy, params string[] settings)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--{copy.Setting}", .. settings.Select(s => $"--{s}")], (options, _) => options.DisableDashboard = true, Ct);
        return await FailedStart.MessageAsync(builder, Ct);
    }
}
