using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Tests.Infrastructure;
using Npgsql;

namespace Monitoring.Tests.EndToEnd;

/// <summary>
/// Faults on a graph of its own (so the shared one is not disturbed), ordered so the waits overlap: components stop
/// and come back, a user's target refuses, a rule fails, a config edit breaks the reload, alerts fire (Prometheus'
/// self-monitoring ones included) and resolve through the webhook, and the data in the volumes survives restarts of
/// the components and, at the end, of the whole AppHost. (The dashboard's Restart is not used: the orchestrator's
/// restart fails with Podman 4.3; stop then start works, and is what a restart does.)
/// </summary>
public class FaultEndToEndTests
{
    private static readonly TimeSpan s_alertTimeout = TimeSpan.FromMinutes(4);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_stack_alerts_on_stopped_components_delivers_late_and_keeps_its_data_across_restarts()
    {
        await ContainerHost.RequireImagesAsync([.. ContainerHost.GraphImages, ContainerHost.ProbesBaseImage]);
        using var volumes = new TestVolumes();
        using var provisioning = new ProvisioningCopy();
        // A user's own target (job "custom") that sends its metrics with no Content-Type, which Prometheus 3 refuses
        // unless the job names a fallback protocol.
        File.WriteAllText(provisioning.File("prometheus/targets/plain.yml"), $"- targets: ['{PlainExporter}:{PlainExporterPort}']\n");
        // Probes as F5 runs it, the project reached through the container tunnel: Alertmanager, recreated by the
        // dashboard's Start below, delivers to it through the tunnel, and the dashboard's Stop stops it, a host process,
        // while the containers reaching it run on.
        string[] settings = ["Monitoring:Components:blackbox-exporter=false", provisioning.Setting];
        string silenceId, postgres, marker;
        DateTimeOffset sampledAt;
        int[] hostPorts;
        // The sample service, a team's own, added with one call as on the shared graph: it is stopped below (Probes,
        // which would be the other, receives the notifications).
        await using (var app = await TestStack.StartAsync(volumes, builder => { AddPlainExporter(builder); StackFixture.AddSampleService(builder); }, Ct, settings))
        {
            var commands = app.Services.GetRequiredService<ResourceCommandService>();
            var probes = app.CreateHttpClient("probes", "http");
            var alertmanager = app.CreateHttpClient("alertmanager", "http");
            var prometheus = new PrometheusApi(app.CreateHttpClient("prometheus", "http"));
            // Before: a silence in Alertmanager and a row in Postgres, written while Prometheus' discovery brings every
            // target to its first scrape (a few seconds).
            var allUp = prometheus.WaitTargetsAsync("every target up, the one with no Content-Type too",
                targets => targets.Any(t => t.Job == "custom") && targets.All(t => t.Answered), TimeSpan.FromSeconds(90), Ct);
            // No pooling: a pooled connection would outlive the Postgres it was opened to.
            postgres = new NpgsqlConnectionStringBuilder(await app.GetConnectionStringAsync("postgres", Ct)) { Pooling = false }.ConnectionString;
            marker = Guid.NewGuid().ToString("n");
            var silenceCreated = CreateSilenceAsync(alertmanager);
            var row = SqlAsync(postgres, $"CREATE TABLE survives (marker text); INSERT INTO survives VALUES ('{marker}')");
            // And a batch job's push, which the Pushgateway keeps in its volume.
            var pushed = app.CreateHttpClient("pushgateway", "http").PutAsync($"/metrics/job/{marker}", new StringContent("batch_job_expected_interval_seconds 86400\n"), Ct);
            await Task.WhenAll(allUp, silenceCreated, row, pushed);
            (await pushed).EnsureSuccessStatusCode();
            silenceId = await silenceCreated;
            Assert.Equal(1, (await prometheus.QueryAsync("plain_exporter_up{job=\"custom\"} == 1", Ct)).GetArrayLength());

            // Alertmanager stops first, so every fault below happens while it is away and no alert of it can have been
            // delivered before. (The components are stopped by the container runtime, underneath the orchestrator, and
            // brought back with the dashboard's Start; the dashboard's Stop is proven on Prometheus below.)
            app.StopContainer("alertmanager");

            // Faults: an exporter and the database stop; a service of the team's stops (the dashboard's Stop, on a
            // project); Probes starts failing; a user's own scrape target refuses
            // connections (Prometheus' own port 1; file_sd picks the file up by itself); a rule that fails at every
            // evaluation (many-to-many matching) is loaded; then an edit breaks alerts.yml and the reload is refused.
            foreach (var name in new[] { "node-exporter", "postgres" })
            {
                app.StopContainer(name);
            }

            await app.RunCommandAsync(StackFixture.SampleService, KnownResourceCommands.StopCommand, Ct);

            await Scenarios.StartAsync(probes, "error-burst", """{"durationSeconds": 900, "errorRatio": 1}""", Ct);
            File.WriteAllText(provisioning.File("prometheus/targets/refused.yml"), "- targets: ['localhost:1']\n  labels: {job: refused}\n");
            File.AppendAllText(provisioning.File("prometheus/alerts.yml"), """

                  - name: fails-on-purpose
                    rules:
                      - record: test:many_to_many
                        expr: up + on() up
                """);
            var failingRule = await commands.ExecuteCommandAsync("prometheus", PrometheusBuilderExtensions.ReloadCommandName, Ct);
            Assert.True(failingRule.Success, failingRule.Message);
            var rules = File.ReadAllText(provisioning.File("prometheus/alerts.yml"));
            File.WriteAllText(provisioning.File("prometheus/alerts.yml"), rules.Replace("expr: vector(1)", "expr: vector(1) +", StringComparison.Ordinal));
            var reload = await commands.ExecuteCommandAsync("prometheus", PrometheusBuilderExtensions.ReloadCommandName, Ct);
            Assert.False(reload.Success, "a reload of a broken alerts.yml must fail");

            // Prometheus holds the alerts while Alertmanager is away ...
            (string Alert, Dictionary<string, string> Labels)[] faults =
            [
                ("NodeExporterDown", []), ("PostgresDown", []), ("ServiceDown", new() { ["job"] = StackFixture.SampleService }),
                ("ServiceHighErrorRatio", new() { ["job"] = "probes" }), ("TargetDown", new() { ["job"] = "refused" }),
                ("PrometheusRuleFailures", new() { ["rule_group"] = "/aspire/rules/alerts.yml;fails-on-purpose" }),
                ("PrometheusConfigReloadFailed", []), ("PrometheusNotificationsFailing", []),
            ];
            // The failure names the alerts still missing.
            // When each began firing goes to the test's output (the run's TRX file), for the timeline of a slow run.
            string[] missing = [.. faults.Select(f => f.Alert)];
            var faulted = DateTimeOffset.UtcNow;
            try
            {
                await Wait.UntilAsync("the alerts firing in Prometheus", async ct =>
                {
                    var firing = await FiringInPrometheusAsync(app.CreateHttpClient("prometheus", "http"), ct);
                    var now = faults.Select(f => f.Alert).Where(a => !firing.Contains(a)).ToArray();
                    if (now.Length < missing.Length)
                    {
                        TestContext.Current.TestOutputHelper?.WriteLine(
                            $"{(DateTimeOffset.UtcNow - faulted).TotalSeconds:0} s after the faults, firing: {string.Join(", ", missing.Except(now))}");
                    }

                    missing = now;
                    return missing.Length == 0;
                }, s_alertTimeout, Ct, TimeSpan.FromSeconds(2));
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message} Not firing: {string.Join(", ", missing)}.", e);
            }

            // ... and delivers them once it is back (every one arrives after its return), whose silence survived the restart.
            var returned = DateTimeOffset.UtcNow;
            await app.StartAgainAsync("alertmanager", Ct);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("alertmanager", Ct).WaitAsync(TimeSpan.FromMinutes(1), Ct);
            var silence = await alertmanager.GetFromJsonAsync<JsonElement>($"/api/v2/silence/{silenceId}", Ct);
            Assert.Equal("active", silence.GetProperty("status").GetProperty("state").GetString());
            await Task.WhenAll(faults.Select(f => Webhook.AlertAsync(probes, f.Alert, "firing", returned, Ct, f.Labels, s_alertTimeout)));

            // NodeExporterDown explains the node job's TargetDown (alertmanager.yml's inhibit_rules): Alertmanager holds
            // that one, inhibited, instead of sending it.
            await Wait.UntilAsync("the node job's TargetDown inhibited by NodeExporterDown", async ct =>
            {
                var held = await new AlertmanagerApi(alertmanager).AlertsAsync(ct, activeOnly: false, "alertname=\"TargetDown\"", "job=\"node\"");
                return held.Any(a => a.GetProperty("status").GetProperty("state").GetString() == "suppressed"
                    && a.GetProperty("status").GetProperty("inhibitedBy").GetArrayLength() > 0);
            }, s_alertTimeout, Ct);

            // The file is fixed and reloaded: the reload alert resolves.
            File.WriteAllText(provisioning.File("prometheus/alerts.yml"), rules);
            var fixedReload = await commands.ExecuteCommandAsync("prometheus", PrometheusBuilderExtensions.ReloadCommandName, Ct);
            Assert.True(fixedReload.Success, fixedReload.Message);

            // The exporter, the database and the service come back: the resolutions are delivered, and the row survived.
            await Task.WhenAll([.. new[] { "node-exporter", "postgres" }.Select(name => app.StartAgainAsync(name, Ct)), app.StartStoppedAsync(StackFixture.SampleService, Ct)]);

            await Task.WhenAll(
                AlertAsync(probes, "NodeExporterDown", "resolved", returned), AlertAsync(probes, "PostgresDown", "resolved", returned),
                Webhook.AlertAsync(probes, "ServiceDown", "resolved", returned, Ct, new Dictionary<string, string> { ["job"] = StackFixture.SampleService }, s_alertTimeout),
                AlertAsync(probes, "PrometheusConfigReloadFailed", "resolved", returned));
            Assert.Equal(1L, await SqlAsync(postgres, $"SELECT count(*) FROM survives WHERE marker = '{marker}'"));

            // Prometheus is stopped and started (the orchestrator removes the container and creates a new one on the same
            // volume): it comes back healthy with its retention.
            await app.RunCommandAsync("prometheus", KnownResourceCommands.StopCommand, Ct);
            await app.ResourceNotifications.WaitForResourceAsync("prometheus", e => e.Snapshot.State?.Text is "Exited" or "Finished", Ct).WaitAsync(TimeSpan.FromMinutes(1), Ct);
            await app.StartStoppedAsync("prometheus", Ct);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("prometheus", Ct).WaitAsync(TimeSpan.FromMinutes(1), Ct);
            var restarted = new PrometheusApi(app.CreateHttpClient("prometheus", "http"));
            Assert.Equal("15d", await restarted.FlagAsync("storage.tsdb.retention.time", Ct));

            // The Probes service stops: its target goes down and its health turns; nothing else is disturbed.
            await app.RunCommandAsync("probes", KnownResourceCommands.StopCommand, Ct);
            var probesStopped = DateTimeOffset.UtcNow;
            // Probes also serves the synthetic airflow and kafka jobs here; the refused target never comes up. Only scrapes
            // since Probes stopped count (nor do those of before Prometheus' restart, in its volume, then).
            await restarted.WaitTargetsAsync("the probes target down and every other target up", targets =>
                targets.Any(t => t.Job == "probes" && t.Health == "down")
                && targets.Where(t => t.Job is not ("probes" or "airflow" or "kafka" or "refused")).All(t => t.Answered), TimeSpan.FromSeconds(60), Ct, since: probesStopped);
            Assert.True(app.ResourceNotifications.TryGetCurrentState("probes", out var probesState));
            Assert.NotEqual(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, probesState.Snapshot.HealthStatus);
            foreach (var other in new[] { "prometheus", "alertmanager", "postgres", "postgres-exporter", "node-exporter" })
            {
                Assert.True(app.ResourceNotifications.TryGetCurrentState(other, out var state));
                Assert.Equal("Running", state.Snapshot.State?.Text);
            }

            // Samples to find after the restart below, which stops the whole AppHost gracefully, as closing it does.
            await Wait.UntilAsync("Prometheus to have scraped itself again", async ct =>
                (await restarted.QueryAsync("up{job=\"prometheus\"} == 1", ct)).GetArrayLength() == 1, TimeSpan.FromSeconds(60), Ct);
            sampledAt = DateTimeOffset.UtcNow;
            hostPorts = [.. app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<IResourceWithEndpoints>()
                .SelectMany(r => r.Annotations.OfType<EndpointAnnotation>()).Select(e => e.AllocatedEndpoint?.Port ?? 0).Where(p => p > 0)];
            await app.StopAsync(Ct);
        }

        // As a user closing and reopening the AppHost would, the second run starts once the first is gone: its
        // orchestrator exits a few seconds after the app is disposed, and until then its proxies hold the ports.
        await Wait.UntilAsync("the first run's host ports released", _ =>
            Task.FromResult(!ListeningSockets.Read().Any(s => hostPorts.Contains(s.Port))), TimeSpan.FromSeconds(60), Ct, TimeSpan.FromMilliseconds(250));

        // The AppHost starts again on the same volumes: the silence, the row, the batch job's push and the earlier samples
        // are all there. (The
        // components that keep no data, and Probes, are left off: they have nothing to bring back. Probes is left off as
        // its container, so that no container reaches a host process and the orchestrator sets up no container tunnel,
        // which holds back the containers that reach Probes by about 10 s here: the tunnel plays no part in what persists.)
        await using var again = await TestStack.StartAsync(volumes,
            builder => builder.CreateResourceBuilder(builder.Resources.Single(r => r.Name == "probes")).WithExplicitStart(), Ct,
            [.. settings, "Monitoring:ProbesHosting=Container", "Monitoring:Components:node-exporter=false", "Monitoring:Components:postgres-exporter=false"]);
        var silenceAfter = await again.CreateHttpClient("alertmanager", "http").GetFromJsonAsync<JsonElement>($"/api/v2/silence/{silenceId}", Ct);
        Assert.Equal("active", silenceAfter.GetProperty("status").GetProperty("state").GetString());
        var postgresAgain = new NpgsqlConnectionStringBuilder(await again.GetConnectionStringAsync("postgres", Ct)) { Pooling = false }.ConnectionString;
        Assert.Equal(1L, await SqlAsync(postgresAgain, $"SELECT count(*) FROM survives WHERE marker = '{marker}'"));
        Assert.Contains($"push_time_seconds{{instance=\"\",job=\"{marker}\"}}", await again.CreateHttpClient("pushgateway", "http").GetStringAsync("/metrics", Ct));
        // A query at a time before this start can only be answered from the first run's samples.
        var before = await new PrometheusApi(again.CreateHttpClient("prometheus", "http")).QueryAsync("up{job=\"prometheus\"}", Ct, sampledAt);
        Assert.Equal(1, before.GetArrayLength());
    }

    private const string PlainExporter = "plain-exporter";
    private const int PlainExporterPort = 9999;

    /// <summary>
    /// An exporter whose answer has no Content-Type header, as some hand-written ones do: a few lines of Perl run in the
    /// Postgres image (the official one is Debian's, whose postgresql-common brings Perl; so is its stand-in; the
    /// Prometheus images have none). It exits on SIGTERM: as a container's first process it would
    /// otherwise ignore the signal (the kernel gives PID 1 no default action), and each stop would wait out the
    /// runtime's 10 s grace before killing it.
    /// </summary>
    private static void AddPlainExporter(IDistributedApplicationTestingBuilder builder)
    {
        const string server = """
            use IO::Socket::INET;
            $SIG{TERM} = sub { exit 0 };
            my $s = IO::Socket::INET->new(LocalPort => 9999, Listen => 5, ReuseAddr => 1) or die "listen: $!";
            while (my $c = $s->accept) {
              while (my $l = <$c>) { last if $l =~ /^\r?$/; }
              my $body = "plain_exporter_up 1\n";
              print $c "HTTP/1.0 200 OK\r\nContent-Length: " . length($body) . "\r\n\r\n" . $body;
              close $c;
            }
            """;
        var image = PinnedImages.Of("postgres");
        builder.AddContainer(PlainExporter, image.Image, image.Tag).WithImageRegistry(image.Registry).WithEntrypoint("perl").WithArgs("-e", server);
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

    private static Task<DeliveredAlert> AlertAsync(HttpClient probes, string alertname, string status, DateTimeOffset since) =>
        Webhook.AlertAsync(probes, alertname, status, since, Ct, timeout: s_alertTimeout);

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
