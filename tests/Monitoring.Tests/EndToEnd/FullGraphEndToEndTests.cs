using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Monitoring.Tests.Infrastructure;
using Monitoring.Tests.Reporting;

namespace Monitoring.Tests.EndToEnd;

/// <summary>
/// The whole graph, F5's, with every component on the official images, at the checked-in 15 s intervals: every
/// container healthy and every target up; Grafana serving its provisioned datasource and every dashboard, each panel's
/// queries asked through Grafana's own query API as a user opening the dashboard does, and answered with data; a
/// failed Airflow DAG run reaching the webhook through StatsD, statsd-exporter and the rules; Kafka, kafka-exporter and
/// the Kafka alerts' faults: a partition without a leader and a stopped broker. On a laptop its images are pulled on
/// the first run; it skips only where they can be had neither way, naming them (here, where no registry answers:
/// Debian packages none of Grafana, Kafka, kafka-exporter, Airflow and statsd-exporter).
/// </summary>
public class FullGraphEndToEndTests
{
    /// <summary>Every official image eng/images/pins.txt pins, and the base of Aspire's container tunnel.</summary>
    private static readonly string[] s_officialImages = [.. PinnedImages.All.Select(p => p.OfficialReference), ContainerHost.TunnelBaseImage];

    private const string SecondBroker = "kafka-2";
    private const string OfflineTopic = "offline-demo";

    /// <summary>
    /// The settings of this test's graph, over <see cref="TestStack.Settings"/>: every component back on, Probes'
    /// stand-in series only where a component cannot run (none, here), and the checked-in intervals.
    /// </summary>
    internal static readonly string[] Settings =
    [
        .. TestStack.FullGraphOnly.Select(c => $"Monitoring:Components:{c}=true"),
        $"Monitoring:SyntheticSeries={SyntheticSeries.WhenUnavailable}",
        $"Monitoring:ScrapeInterval={MonitoringOptions.DefaultInterval}", $"Monitoring:EvaluationInterval={MonitoringOptions.DefaultInterval}",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [MaySkip("where no registry answers (this project's CI): Debian packages none of Grafana, Kafka, kafka-exporter, Airflow and statsd-exporter")]
    public async Task The_whole_graph_runs_with_the_official_images_and_alerts_on_real_airflow_and_kafka_faults()
    {
        await ContainerHost.RequireImagesAsync(s_officialImages);

        using var volumes = new TestVolumes();
        // The checked-in intervals: kafka-exporter's scrape of a partition without a leader takes seconds (sarama's
        // retries), more than the 2 s timeout of the other graphs' intervals.
        // Airflow's first start migrates its database: more than the other graphs' four minutes on a laptop.
        await using var app = await TestStack.StartAsync(volumes, AddSecondBroker, TimeSpan.FromMinutes(10), Ct, Settings);
        var prometheus = new PrometheusApi(app.CreateHttpClient("prometheus", "http"));
        var probes = app.CreateHttpClient("probes", "http");

        string[] jobs = ["airflow", "alertmanager", "blackbox", "kafka", "node", "postgres", "probes", "prometheus"];
        await prometheus.WaitTargetsAsync("every job's targets up, none of them Probes' stand-ins",
            targets => jobs.All(j => targets.Any(t => t.Job == j)) && targets.All(t => t.Answered), TimeSpan.FromMinutes(3), Ct);
        Assert.Empty((await prometheus.QueryAsync("up{synthetic=\"true\"}", Ct)).EnumerateArray());

        // A DAG run fails: the DAG is unpaused from its creation, so the triggered run runs; its failed series appears
        // at 1 in statsd-exporter, which the rule catches.
        var since = DateTimeOffset.UtcNow;
        var airflow = app.CreateHttpClient("airflow", "http");
        var airflowPassword = await app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<ParameterResource>().Single(p => p.Name == "airflow-admin-password").GetValueAsync(Ct);
        var token = await airflow.PostAsJsonAsync("/auth/token", new { username = "admin", password = airflowPassword }, Ct);
        airflow.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await token.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString());
        (await airflow.PostAsJsonAsync("/api/v2/dags/monitoring_fail_on_demand/dagRuns", new { logical_date = (string?)null }, Ct)).EnsureSuccessStatusCode();
        var dagFailure = await Webhook.AlertAsync(probes, "AirflowDagRunFailures", "firing", since, Ct,
            new Dictionary<string, string> { ["dag_id"] = "monitoring_fail_on_demand" }, TimeSpan.FromMinutes(5));
        Assert.Equal("", dagFailure.Label("synthetic"));

        // Grafana, as a user opening each dashboard sees it, with the whole graph up and a DAG run failed: every panel
        // answered with data.
        var grafana = app.CreateHttpClient("grafana", "http");
        var password = await app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<GrafanaResource>().Single().AdminPassword.GetValueAsync(Ct);
        grafana.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{password}")));
        await GrafanaDashboards.RequireEveryPanelAnsweredAsync(grafana, TimeSpan.FromMinutes(4), Ct);

        // A partition loses its leader: a topic whose only replica is on the second broker, which stops.
        since = DateTimeOffset.UtcNow;
        var created = ContainerHost.Run(["exec", app.ContainerIdOf("kafka"), "/opt/kafka/bin/kafka-topics.sh", "--bootstrap-server", "localhost:9093",
            "--create", "--topic", OfflineTopic, "--replica-assignment", "2"]);
        Assert.True(created.ExitCode == 0, created.Output);
        await Wait.UntilAsync($"the leader of {OfflineTopic} in Prometheus", async ct =>
            (await prometheus.QueryAsync($"kafka_topic_partition_leader{{topic=\"{OfflineTopic}\"}}", ct)).GetArrayLength() == 1, TimeSpan.FromMinutes(2), Ct);
        await app.RunCommandAsync(SecondBroker, KnownResourceCommands.StopCommand, Ct);
        await Webhook.AlertAsync(probes, "KafkaOfflinePartitions", "firing", since, Ct, new Dictionary<string, string> { ["topic"] = OfflineTopic }, TimeSpan.FromMinutes(5));

        // The broker stops: kafka-exporter's scrapes hang (no broker to refresh metadata from) and the rule sees it.
        since = DateTimeOffset.UtcNow;
        await app.RunCommandAsync("kafka", KnownResourceCommands.StopCommand, Ct);
        await Webhook.AlertAsync(probes, "KafkaBrokerDown", "firing", since, Ct, new Dictionary<string, string> { ["job"] = "kafka" }, TimeSpan.FromMinutes(5));
    }

    /// <summary>
    /// A second, broker-only node of the KRaft cluster, so a partition can lose its leader while the first broker (and
    /// kafka-exporter's view of the cluster) stays up: the first node's controller listens on the container network.
    /// </summary>
    internal static void AddSecondBroker(IDistributedApplicationTestingBuilder builder)
    {
        var kafka = builder.CreateResourceBuilder(builder.Resources.OfType<KafkaBrokerResource>().Single());
        kafka.WithEnvironment("KAFKA_LISTENERS", "HOST://0.0.0.0:9092,INTERNAL://0.0.0.0:9093,CONTROLLER://0.0.0.0:9094")
            .WithEnvironment("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@kafka:9094");
        var image = PinnedImages.Of("kafka");
        builder.AddContainer(SecondBroker, image.Image, image.Tag)
            .WithImageRegistry(image.Registry)
            .WithEnvironment("KAFKA_NODE_ID", "2")
            .WithEnvironment("CLUSTER_ID", "bW9uaXRvcmluZy1rYWZrYQ")
            .WithEnvironment("KAFKA_PROCESS_ROLES", "broker")
            .WithEnvironment("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@kafka:9094")
            .WithEnvironment("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
            .WithEnvironment("KAFKA_LISTENERS", "INTERNAL://0.0.0.0:9093")
            .WithEnvironment("KAFKA_ADVERTISED_LISTENERS", $"INTERNAL://{SecondBroker}:9093")
            .WithEnvironment("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT")
            .WithEnvironment("KAFKA_INTER_BROKER_LISTENER_NAME", "INTERNAL")
            .WaitFor(kafka);
    }
}
