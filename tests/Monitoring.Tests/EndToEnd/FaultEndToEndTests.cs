using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Tests.Infrastructure;
using Npgsql;

namespace Monitoring.Tests.EndToEnd;

/// <summary>
/// Faults on a graph of its own (so the shared one is not disturbed), ordered so the waits overlap: components stop
/// and come back, a user's target refuses, a rule fails, a config edit breaks the reload, alerts fire (Prometheus'
/// self-monitoring ones included) and resolve through the webhook, and the data in the volumes survives. (The dashboard's
/// Restart is not used: the orchestrator's restart fails with Podman 4.3; stop then start works, and is what a
/// restart does.)
/// </summary>
public class FaultEndToEndTests
{
    private static readonly TimeSpan s_alertTimeout = TimeSpan.FromMinutes(4);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_stack_alerts_on_stopped_components_delivers_late_and_keeps_its_data_across_restarts()
    {
        ContainerHost.SkipUnlessImages(ContainerHost.AllLocalImages);
        using var volumes = new TestVolumes();
        using var provisioning = new ProvisioningCopy();
        // A user's own scrape target that refuses connections (Prometheus' own port 1), and a rule that fails at every
        // evaluation (many-to-many matching): the self-monitoring alerts must catch both.
        File.WriteAllText(provisioning.File("prometheus/targets/refused.yml"), "- targets: ['localhost:1']\n  labels: {job: refused}\n");
        File.AppendAllText(provisioning.File("prometheus/alerts.yml"), """

              - name: fails-on-purpose
                rules:
                  - record: test:many_to_many
                    expr: up + on() up
            """);
        await using var app = await TestStack.StartAsync(volumes, Ct, "Monitoring:Components:blackbox-exporter=false", provisioning.Setting);
        var commands = app.Services.GetRequiredService<ResourceCommandService>();
        var probes = app.CreateHttpClient("probes", "http");
        var alertmanager = app.CreateHttpClient("alertmanager", "http");
        var prometheus = new PrometheusApi(app.CreateHttpClient("prometheus", "http"));
        await Wait.UntilAsync("every target up but the refused one", async ct =>
            (await prometheus.TargetsAsync(ct)).All(t => t.Health == "up" || t.Job == "refused"), TimeSpan.FromSeconds(60), Ct);

        // Before: a silence in Alertmanager and a row in Postgres.
        var silenceId = await CreateSilenceAsync(alertmanager);
        // No pooling: a pooled connection would outlive the Postgres it was opened to.
        var postgres = new NpgsqlConnectionStringBuilder(await app.GetConnectionStringAsync("postgres", Ct)) { Pooling = false }.ConnectionString;
        var marker = Guid.NewGuid().ToString("n");
        await SqlAsync(postgres, $"CREATE TABLE survives (marker text); INSERT INTO survives VALUES ('{marker}')");

        // Faults: an exporter, the database and Alertmanager stop; Probes starts failing; an edit breaks alerts.yml
        // and the reload is refused.
        foreach (var name in new[] { "node-exporter", "postgres", "alertmanager" })
        {
            await RunAsync(commands, name, KnownResourceCommands.StopCommand);
        }

        await probes.PostAsync("/scenarios/error-burst", new StringContent("""{"durationSeconds": 900, "errorRatio": 1}""", Encoding.UTF8, "application/json"), Ct);
        var rules = File.ReadAllText(provisioning.File("prometheus/alerts.yml"));
        File.WriteAllText(provisioning.File("prometheus/alerts.yml"), rules.Replace("expr: vector(1)", "expr: vector(1) +", StringComparison.Ordinal));
        var reload = await commands.ExecuteCommandAsync("prometheus", PrometheusBuilderExtensions.ReloadCommandName, Ct);
        Assert.False(reload.Success, "a reload of a broken alerts.yml must fail");

        // Prometheus holds the alerts while Alertmanager is away ...
        string[] faults =
        [
            "NodeExporterDown", "PostgresDown", "ProbesHighErrorRatio", "TargetDown",
            "PrometheusRuleFailures", "PrometheusConfigReloadFailed", "PrometheusNotificationsFailing",
        ];
        await Wait.UntilAsync("the alerts firing in Prometheus", async ct =>
        {
            var firing = await FiringInPrometheusAsync(app.CreateHttpClient("prometheus", "http"), ct);
            return faults.All(firing.Contains);
        }, s_alertTimeout, Ct, TimeSpan.FromSeconds(2));

        // ... and delivers them when it is back, whose silence survived the restart.
        await RunAsync(commands, "alertmanager", KnownResourceCommands.StartCommand);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("alertmanager", Ct).WaitAsync(TimeSpan.FromMinutes(1), Ct);
        var silence = await alertmanager.GetFromJsonAsync<JsonElement>($"/api/v2/silence/{silenceId}", Ct);
        Assert.Equal("active", silence.GetProperty("status").GetProperty("state").GetString());
        var delivered = await Task.WhenAll(faults.Select(f => NotificationAsync(probes, f, "firing")));
        Assert.Equal("refused", Webhook.Label(Webhook.Alert(delivered[Array.IndexOf(faults, "TargetDown")], "TargetDown"), "job"));

        // The file is fixed and reloaded: the reload alert resolves.
        File.WriteAllText(provisioning.File("prometheus/alerts.yml"), rules);
        var fixedReload = await commands.ExecuteCommandAsync("prometheus", PrometheusBuilderExtensions.ReloadCommandName, Ct);
        Assert.True(fixedReload.Success, fixedReload.Message);

        // The exporter and the database come back: the resolutions are delivered, and the row survived.
        foreach (var name in new[] { "node-exporter", "postgres" })
        {
            await RunAsync(commands, name, KnownResourceCommands.StartCommand);
        }

        await Task.WhenAll(
            NotificationAsync(probes, "NodeExporterDown", "resolved"), NotificationAsync(probes, "PostgresDown", "resolved"),
            NotificationAsync(probes, "PrometheusConfigReloadFailed", "resolved"));
        Assert.Equal(1L, await SqlAsync(postgres, $"SELECT count(*) FROM survives WHERE marker = '{marker}'"));

        // Prometheus is stopped and started (the orchestrator removes the container and creates a new one on the same
        // volume): it comes back healthy with its retention. That samples survive a graceful stop of the AppHost is
        // proven by PersistenceEndToEndTests.
        await RunAsync(commands, "prometheus", KnownResourceCommands.StopCommand);
        await app.ResourceNotifications.WaitForResourceAsync("prometheus", e => e.Snapshot.State?.Text is "Exited" or "Finished", Ct).WaitAsync(TimeSpan.FromMinutes(1), Ct);
        await RunAsync(commands, "prometheus", KnownResourceCommands.StartCommand);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("prometheus", Ct).WaitAsync(TimeSpan.FromMinutes(1), Ct);
        var restarted = new PrometheusApi(app.CreateHttpClient("prometheus", "http"));
        Assert.Equal("15d", await restarted.FlagAsync("storage.tsdb.retention.time", Ct));

        // The Probes service stops: its target goes down and its health turns; nothing else is disturbed.
        await RunAsync(commands, "probes", KnownResourceCommands.StopCommand);
        await Wait.UntilAsync("the probes target down and every other target up", async ct =>
        {
            var targets = await restarted.TargetsAsync(ct);
            // Probes also serves the synthetic airflow and kafka jobs here; the refused target never comes up.
            return targets.Any(t => t.Job == "probes" && t.Health == "down")
                && targets.Where(t => t.Job is not ("probes" or "airflow" or "kafka" or "refused")).All(t => t.Health == "up");
        }, TimeSpan.FromSeconds(60), Ct);
        Assert.True(app.ResourceNotifications.TryGetCurrentState("probes", out var probesState));
        Assert.NotEqual(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, probesState.Snapshot.HealthStatus);
        foreach (var other in new[] { "prometheus", "alertmanager", "postgres", "postgres-exporter", "node-exporter" })
        {
            Assert.True(app.ResourceNotifications.TryGetCurrentState(other, out var state));
            Assert.Equal("Running", state.Snapshot.State?.Text);
        }

    }

    private static async Task RunAsync(ResourceCommandService commands, string resource, string command)
    {
        var result = await commands.ExecuteCommandAsync(resource, command, Ct);
        if (!result.Success)
        {
            // On two busy cores the orchestrator's stop of a container that takes long to shut down (Postgres'
            // checkpoint) can time out; a stop or start is idempotent, so it is asked once more before failing.
            result = await commands.ExecuteCommandAsync(resource, command, Ct);
        }

        Assert.True(result.Success, $"{command} {resource}: {result.Message}");
    }

    private static async Task<string> CreateSilenceAsync(HttpClient alertmanager)
    {
        var response = await alertmanager.PostAsJsonAsync("/api/v2/silences", new
        {
            matchers = new[] { new { name = "alertname", value = "NeverFires", isRegex = false, isEqual = true } },
            startsAt = DateTimeOffset.UtcNow,
            endsAt = DateTimeOffset.UtcNow.AddHours(1),
            createdBy = "tests",
            comment = "must survive a restart of Alertmanager",
        }, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("silenceID").GetString()!;
    }

    private static async Task<HashSet<string>> FiringInPrometheusAsync(HttpClient prometheus, CancellationToken ct) =>
        [.. (await prometheus.GetFromJsonAsync<JsonElement>("/api/v1/alerts", ct)).GetProperty("data").GetProperty("alerts").EnumerateArray()
            .Where(a => a.GetProperty("state").GetString() == "firing")
            .Select(a => a.GetProperty("labels").GetProperty("alertname").GetString()!)];

    private static Task<JsonElement> NotificationAsync(HttpClient probes, string alertname, string status) =>
        Webhook.NotificationAsync(probes, alertname, status, Ct, s_alertTimeout);

    private static async Task<object?> SqlAsync(string? connectionString, string sql)
    {
        await Wait.UntilAsync("Postgres to accept connections", async ct =>
        {
            try
            {
                await using var probe = new NpgsqlConnection(connectionString);
                await probe.OpenAsync(ct);
                return true;
            }
            catch (NpgsqlException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), Ct);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }
}
