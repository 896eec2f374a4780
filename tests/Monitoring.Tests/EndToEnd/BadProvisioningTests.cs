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

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--{copy.Setting}", "--Monitoring:ProbesHosting=Container"], (options, _) => options.DisableDashboard = true, Ct);
        await using var app = await builder.BuildAsync(Ct);

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct));

        var message = (ex as AggregateException)?.InnerException?.Message ?? ex.Message;
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(message, $@"{System.Text.RegularExpressions.Regex.Escape(broken)}:{line}\b"), message);
        foreach (var resource in builder.Resources.Where(r => r is ContainerResource or ProjectResource))
        {
            var started = app.ResourceNotifications.TryGetCurrentState(resource.Name, out var state) && state.Snapshot.State?.Text is "Running" or "Starting";
            Assert.False(started, $"{resource.Name} was started");
        }
    }
}
