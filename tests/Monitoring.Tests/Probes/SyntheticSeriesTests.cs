using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Monitoring.Probes;
using Monitoring.Tests.Config;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Probes;

/// <summary>
/// Probes' synthetic Airflow and Kafka series have exactly the names and labels of the real exporters' (the AppHost
/// labels their target <c>synthetic="true"</c>), cover every family the rules and dashboards use, and in each fault
/// do what the real exporter does then: a series that disappears, one that first appears at 1, a scrape that hangs.
/// </summary>
[Collection(Collection)]
public sealed partial class SyntheticSeriesTests : IDisposable
{
    /// <summary>The test collection of the classes whose meters share names (they run one after another).</summary>
    public const string Collection = "synthetic meters";

    private readonly WebApplicationFactory<ProbeMetrics> _factory = ProbesFactory.Create(("Probes:Synthetic:Airflow", "true"), ("Probes:Synthetic:Kafka", "true"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // How long an in-process wait may take before the test fails: the service answers within milliseconds on a quiet
    // machine, but the suite runs these beside six graphs starting on two cores, where 10 s was once not enough.
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Airflow_series_are_statsd_exporter_families_with_their_mapped_labels()
    {
        var families = MetricNameTests.StatsdFamilies();
        var series = await ScrapeAsync("/synthetic/airflow/metrics", s => s.Name.StartsWith("airflow_scheduler_heartbeat", StringComparison.Ordinal));

        Assert.All(series, s =>
        {
            var family = Family(s.Name, families.Keys);
            Assert.True(family is not null, $"{s.Name} is not produced by provisioning/statsd/mappings.yml");
            Assert.Equal(families[family!].Order(), s.Labels.Keys.Where(k => k != "le").Order());
        });
        AssertCovers(series, "airflow_");
    }

    [Fact]
    public async Task Kafka_series_are_kafka_exporter_families_with_their_labels()
    {
        var families = MetricNameTests.KafkaExporterFamilies();
        var series = await ScrapeAsync("/synthetic/kafka/metrics", s => s.Name == "kafka_brokers");

        Assert.All(series, s =>
        {
            Assert.True(families.ContainsKey(s.Name), $"{s.Name} is not a kafka-exporter metric");
            Assert.Equal(families[s.Name].Order(), s.Labels.Keys.Order());
        });
        AssertCovers(series, "kafka_");
    }

    [Fact]
    public async Task A_healthy_synthetic_kafka_has_one_broker_leaders_and_nothing_under_replicated()
    {
        var series = await ScrapeAsync("/synthetic/kafka/metrics", s => s.Name == "kafka_brokers");

        Assert.Equal(1, Assert.Single(series, s => s.Name == "kafka_brokers").Value);
        Assert.Equal(3, series.Count(s => s.Name == "kafka_topic_partition_leader"));
        Assert.All(series.Where(s => s.Name == "kafka_topic_partition_under_replicated_partition"), s => Assert.Equal(0, s.Value));
    }

    [Fact]
    public async Task An_offline_partition_loses_its_leader_and_offset_series_as_kafka_exporter_drops_them()
    {
        var client = _factory.CreateClient();
        await ScrapeAsync("/synthetic/kafka/metrics", s => s.Name == "kafka_brokers");

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/scenarios/kafka-offline-partitions", Json("""{"secondsPerPartition": 0}"""), Ct)).StatusCode);

        IReadOnlyList<Series> series = [];
        await Wait.UntilAsync("partition 0 without a leader series", async ct =>
        {
            series = await ScrapeAsync(client, "/synthetic/kafka/metrics", ct);
            return !series.Any(s => s.Name == "kafka_topic_partition_leader" && s.Labels["partition"] == "0");
        }, s_wait, Ct, TimeSpan.FromMilliseconds(200));
        // Gone for partition 0 (kafka-exporter emits them only where sarama finds the leader); never a -1.
        string[] gone = ["kafka_topic_partition_leader", "kafka_topic_partition_current_offset", "kafka_topic_partition_oldest_offset", "kafka_consumergroup_lag", "kafka_consumergroup_current_offset"];
        Assert.All(gone, name => Assert.DoesNotContain(series, s => s.Name == name && s.Labels["partition"] == "0"));
        Assert.All(gone, name => Assert.Equal(2, series.Count(s => s.Name == name)));
        Assert.DoesNotContain(series, s => s.Value < 0);
        // Still there: the partition count, and leader_is_preferred at 0 for the partition without a leader.
        Assert.Equal(3, Assert.Single(series, s => s.Name == "kafka_topic_partitions").Value);
        Assert.Equal(0, Assert.Single(series, s => s.Name == "kafka_topic_partition_leader_is_preferred" && s.Labels["partition"] == "0").Value);
        // Kafka 4.1's eligible leader replicas let its ISR shrink to nothing: under-replicated too.
        Assert.Equal(0, Assert.Single(series, s => s.Name == "kafka_topic_partition_in_sync_replica" && s.Labels["partition"] == "0").Value);
        Assert.Equal(1, Assert.Single(series, s => s.Name == "kafka_topic_partition_under_replicated_partition" && s.Labels["partition"] == "0").Value);
    }

    /// <summary>
    /// As kafka-exporter v1.9.0 collects: the offline partitions one after another, each costing its metadata retries,
    /// and a scrape that arrives during a collection shares it rather than starting another.
    /// </summary>
    [Fact]
    public async Task Each_offline_partition_lengthens_the_collection_and_overlapping_scrapes_share_it()
    {
        var client = _factory.CreateClient();
        await ScrapeAsync("/synthetic/kafka/metrics", s => s.Name == "kafka_brokers");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/scenarios/kafka-offline-partitions", Json("""{"partitions": 3, "secondsPerPartition": 0.5}"""), Ct)).StatusCode);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(client.GetStringAsync("/synthetic/kafka/metrics", Ct), client.GetStringAsync("/synthetic/kafka/metrics", Ct));

        // Three partitions of 0.5 s, once: two collections one after the other would take 3 s.
        Assert.InRange(watch.Elapsed.TotalSeconds, 1.5, 2.9);
    }

    [Fact]
    public async Task A_broker_down_holds_every_scrape_until_the_fault_ends_as_kafka_exporter_does()
    {
        var client = _factory.CreateClient();
        await ScrapeAsync("/synthetic/kafka/metrics", s => s.Name == "kafka_brokers");

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/scenarios/kafka-broker-down", null, Ct)).StatusCode);
        var held = client.GetStringAsync("/synthetic/kafka/metrics", Ct);
        // Still unanswered after longer than the tests' scrape timeout (2 s): the scraper gives up first. (It is held
        // until the fault ends, however long: longer than any scrape timeout.)
        await Assert.ThrowsAsync<TimeoutException>(() => held.WaitAsync(TimeSpan.FromSeconds(3), Ct));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/scenarios/kafka-broker-down", Ct)).StatusCode);
        Assert.Matches(@"\nkafka_brokers(\{\})? 1\b", await held.WaitAsync(s_wait, Ct));
    }

    [Fact]
    public async Task A_dags_first_failed_run_makes_its_failed_series_appear_at_one_as_statsd_exporter_does()
    {
        var client = _factory.CreateClient();
        var before = await ScrapeAsync("/synthetic/airflow/metrics", s => s.Name == "airflow_dagrun_duration_seconds_count");
        Assert.DoesNotContain(before, s => s.Name == "airflow_dagrun_duration_seconds_count" && s.Labels["state"] == "failed");

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/scenarios/airflow-dag-failures", null, Ct)).StatusCode);

        Series? failed = null;
        await Wait.UntilAsync("the failed series", async ct =>
        {
            failed = (await ScrapeAsync(client, "/synthetic/airflow/metrics", ct))
                .FirstOrDefault(s => s.Name == "airflow_dagrun_duration_seconds_count" && s.Labels["state"] == "failed");
            return failed is not null;
        }, TimeSpan.FromSeconds(15), Ct, TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, failed!.Value);
    }

    [Theory]
    [InlineData("kafka-under-replicated", "/synthetic/kafka/metrics", "kafka_topic_partition_under_replicated_partition", 1)]
    [InlineData("airflow-import-errors", "/synthetic/airflow/metrics", "airflow_dag_processing_import_errors", 1)]
    [InlineData("airflow-pool-starving", "/synthetic/airflow/metrics", "airflow_pool_scheduled_slots", 3)]
    [InlineData("airflow-pool-starving", "/synthetic/airflow/metrics", "airflow_executor_open_slots", 0)]
    public async Task A_scenario_breaks_its_series(string scenario, string path, string name, double value)
    {
        var client = _factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/scenarios/{scenario}", null, Ct)).StatusCode);

        await Wait.UntilAsync($"{name} at {value}", async ct =>
            (await ScrapeAsync(client, path, ct)).Any(s => s.Name == name && s.Value == value), s_wait, Ct, TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Without_synthetic_series_their_endpoints_and_scenarios_are_absent()
    {
        using var plain = ProbesFactory.Create();
        var client = plain.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/synthetic/kafka/metrics", Ct)).StatusCode);
        var refused = await client.PostAsync("/scenarios/airflow-dag-failures", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("fail_on_demand", await refused.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync("/scenarios/kafka-lag", null, Ct)).StatusCode);
    }

    /// <summary>Every family of the prefix that the alert rules use is served.</summary>
    private static void AssertCovers(IReadOnlyList<Series> series, string prefix)
    {
        // Comments cite upstream files (kafka_exporter.go); the expressions are what counts.
        var rules = string.Join('\n', File.ReadAllLines(Repo.Path("provisioning", "prometheus", "alerts.yml")).Where(l => !l.TrimStart().StartsWith('#')));
        var used = UsedName().Matches(rules).Select(m => m.Value).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToHashSet();
        var served = series.Select(s => s.Name).ToHashSet();
        Assert.NotEmpty(used);
        Assert.All(used, n => Assert.Contains(n, served));
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    private static string? Family(string name, IEnumerable<string> families) =>
        families.FirstOrDefault(f => name == f || name == f + "_bucket" || name == f + "_sum" || name == f + "_count");

    private async Task<IReadOnlyList<Series>> ScrapeAsync(string path, Func<Series, bool> ready)
    {
        var client = _factory.CreateClient();
        IReadOnlyList<Series> series = [];
        // The series appear with the first tick of the synthetic clock and the histograms with the first DAG run.
        await Wait.UntilAsync("the synthetic series", async ct =>
        {
            series = await ScrapeAsync(client, path, ct);
            return series.Any(ready) && series.Any(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal) || s.Name.StartsWith("kafka_", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(15), Ct, TimeSpan.FromMilliseconds(200));
        return series;
    }

    private static async Task<IReadOnlyList<Series>> ScrapeAsync(HttpClient client, string path, CancellationToken ct)
    {
        var text = await client.GetStringAsync(path, ct);
        return [.. text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(Series.Parse)];
    }

    private sealed record Series(string Name, Dictionary<string, string> Labels, double Value)
    {
        public static Series Parse(string line)
        {
            var match = SeriesLine().Match(line);
            Assert.True(match.Success, $"Not a Prometheus text line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            return new(match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$")]
    private static partial Regex SeriesLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();

    [GeneratedRegex(@"\b(airflow|kafka)_[a-z_]+\b")]
    private static partial Regex UsedName();
}
