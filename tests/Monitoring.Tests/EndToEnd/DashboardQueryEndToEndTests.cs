using System.Net.Http.Json;
using System.Text.Json;
using Monitoring.Tests.Config;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>
/// Every dashboard query, variables substituted, sent to the running Prometheus: it must parse, the panels fed by
/// what runs here (Prometheus, node-exporter, Probes, Postgres, the blackbox-exporter, and Probes' synthetic Airflow and
/// Kafka series standing in for those) must return data, and once they do Prometheus must have nothing to say about
/// any of them: no warning and no info annotation.
/// </summary>
public class DashboardQueryEndToEndTests(StackFixture stack) : IClassFixture<SharedGraphUse>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Dashboards() => [.. DashboardFiles.All().Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Dashboards))]
    public async Task Every_panel_query_parses(string file)
    {
        await stack.ReadyAsync();
        var http = stack.Client("prometheus");

        foreach (var (panel, expr) in DashboardFiles.Queries(DashboardFiles.Load(Repo.Path("provisioning", "grafana", "dashboards", file))))
        {
            var response = await http.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(expr)}", Ct);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(body.GetProperty("status").GetString() == "success", $"{file}: '{panel}': {expr}: {body}");
        }
    }

    [Theory]
    [InlineData("system.json")]
    [InlineData("probes.json")]
    [InlineData("airflow.json")]
    [InlineData("kafka.json")]
    [InlineData("services.json", "probes")]
    [InlineData("services.json", StackFixture.SampleService)]
    public async Task Panels_fed_by_what_runs_here_show_data_and_draw_no_annotation(string file, string? job = null)
    {
        await stack.ReadyAsync();
        var prometheus = new PrometheusApi(stack.Client("prometheus"));
        // With a job chosen, its variable selects that job alone: the panels must show data for it.
        var queries = DashboardFiles.Queries(DashboardFiles.Load(Repo.Path("provisioning", "grafana", "dashboards", file)), job is null ? null : new() { ["job"] = job }).ToList();
        var empty = queries;
        using var kafka = file == "kafka.json" ? await SyntheticKafkaFaults.HoldAsync(Ct) : null;

        try
        {
            await Wait.UntilAsync($"data for every panel of {file}", async ct =>
                (empty = await prometheus.WithoutDataAsync(empty, ct)).Count == 0, TimeSpan.FromSeconds(90), Ct, TimeSpan.FromSeconds(3));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Panels of {file} with no data: {string.Join("; ", empty.Select(q => $"'{q.Panel}': {q.Expr}"))}");
        }

        // Annotations come with data (an info on rate() is given only for a series with samples), so only now.
        var annotated = new List<string>();
        foreach (var (panel, expr) in queries)
        {
            var (_, annotations) = await prometheus.QueryWithAnnotationsAsync(expr, Ct);
            annotated.AddRange(annotations.Select(a => $"'{panel}': {expr}: {a}"));
        }

        Assert.True(annotated.Count == 0, $"Prometheus annotates panels of {file}:{Environment.NewLine}{string.Join(Environment.NewLine, annotated)}");
    }
}
