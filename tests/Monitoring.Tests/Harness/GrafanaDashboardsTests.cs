using System.Text.Json;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Harness;

/// <summary>
/// How the full-graph test reads Grafana's answers (<see cref="GrafanaDashboards"/>), on answers shaped as Grafana
/// 12.2.1's /api/ds/query gives them (pkg/promlib/converter/prom.go, pkg/api/metrics.go): Grafana itself runs only
/// where its image can be had, so its reading is held to those shapes here.
/// </summary>
public class GrafanaDashboardsTests
{
    private const string Series = """
        {"results":{"A":{"status":200,"frames":[{"schema":{"fields":[{"name":"Time","type":"time"},{"name":"Value","type":"number","labels":{"job":"node"}}]},
        "data":{"values":[[1733360000000,1733360015000],[VALUES]]}}]}}}
        """;

    [Theory]
    [InlineData("0.5,null", null)]
    [InlineData("null,null", "no data")]
    public void A_panel_has_data_only_when_a_number_field_has_a_value(string values, string? expected)
    {
        using var answer = JsonDocument.Parse(Series.Replace("VALUES", values, StringComparison.Ordinal));

        Assert.Equal(expected, GrafanaDashboards.Unanswered(answer.RootElement, "A"));
    }

    [Fact]
    public void An_empty_result_is_no_data_and_an_error_is_named()
    {
        // An empty Prometheus result still comes as one frame with no fields (pkg/promlib/querydata/response.go).
        using var empty = JsonDocument.Parse("""{"results":{"A":{"status":200,"frames":[{"schema":{"fields":[]},"data":{"values":[]}}]}}}""");
        using var error = JsonDocument.Parse("""{"results":{"A":{"status":400,"error":"bad_data: parse error","frames":[]}}}""");

        Assert.Equal("no data", GrafanaDashboards.Unanswered(empty.RootElement, "A"));
        Assert.Equal("error: bad_data: parse error", GrafanaDashboards.Unanswered(error.RootElement, "A"));
        Assert.StartsWith("no result", GrafanaDashboards.Unanswered(error.RootElement, "B"));
    }

    [Fact]
    public void Dashboard_variables_are_substituted_in_every_form_and_the_backends_are_left()
    {
        var variables = new Dictionary<string, string> { ["job"] = ".*", ["instance"] = "host:9100" };

        var (text, left) = GrafanaDashboards.Interpolate("rate(x{job=~\"$job\", instance=~\"${instance:regex}\", i2=\"[[instance]]\"}[$__rate_interval])", variables);

        Assert.Equal("rate(x{job=~\".*\", instance=~\"host:9100\", i2=\"host:9100\"}[$__rate_interval])", text);
        Assert.Null(left);
        Assert.Equal("dag", GrafanaDashboards.Interpolate("x{dag_id=~\"$dag\"}", variables).Left);
    }
}
