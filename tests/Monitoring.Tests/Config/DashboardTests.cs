using System.Text.Json;
using System.Text.RegularExpressions;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Config;

/// <summary>The provisioned Grafana dashboards are well-formed and use only the provisioned datasource.</summary>
public class DashboardTests
{
    public static TheoryData<string> Dashboards() => [.. DashboardFiles.All().Select(f => Path.GetFileName(f))];

    [Fact]
    public void There_are_dashboards_for_airflow_batch_jobs_kafka_the_system_the_services_and_probes()
    {
        Assert.Equal(["airflow.json", "batch-jobs.json", "kafka.json", "probes.json", "services.json", "system.json"], DashboardFiles.All().Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Uids_and_titles_are_unique()
    {
        var dashboards = DashboardFiles.All().Select(DashboardFiles.Load).ToList();

        Assert.Equal(dashboards.Count, dashboards.Select(d => d.GetProperty("uid").GetString()).Distinct().Count());
        Assert.Equal(dashboards.Count, dashboards.Select(d => d.GetProperty("title").GetString()).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Refreshes_itself_has_a_time_range_and_job_and_instance_variables(string file)
    {
        var dashboard = DashboardFiles.Load(Repo.Path("provisioning", "grafana", "dashboards", file));

        Assert.True(dashboard.GetProperty("schemaVersion").GetInt32() > 0);
        Assert.False(string.IsNullOrEmpty(dashboard.GetProperty("refresh").GetString()));
        Assert.StartsWith("now-", dashboard.GetProperty("time").GetProperty("from").GetString());
        var variables = dashboard.GetProperty("templating").GetProperty("list").EnumerateArray().Select(v => v.GetProperty("name").GetString()).ToList();
        Assert.Contains("job", variables);
        Assert.Contains("instance", variables);
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Every_panel_has_a_query_on_the_provisioned_datasource_and_a_unit(string file)
    {
        var dashboard = DashboardFiles.Load(Repo.Path("provisioning", "grafana", "dashboards", file));
        var panels = DashboardFiles.Panels(dashboard).ToList();

        Assert.NotEmpty(panels);
        Assert.StartsWith("row", dashboard.GetProperty("panels")[0].GetProperty("type").GetString());
        foreach (var panel in panels)
        {
            var title = panel.GetProperty("title").GetString();
            Assert.Equal("prometheus", panel.GetProperty("datasource").GetProperty("uid").GetString());
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            Assert.True(targets.Count > 0, $"{file}: panel '{title}' has no query");
            Assert.All(targets, t => Assert.Equal("prometheus", t.GetProperty("datasource").GetProperty("uid").GetString()));
            Assert.All(targets, t => Assert.False(string.IsNullOrWhiteSpace(t.GetProperty("expr").GetString()), $"{file}: '{title}'"));
            Assert.True(panel.GetProperty("fieldConfig").GetProperty("defaults").TryGetProperty("unit", out _), $"{file}: '{title}' has no unit");
        }
    }
}

/// <summary>Reads the dashboard files.</summary>
internal static class DashboardFiles
{
    public static IEnumerable<string> All() => Directory.GetFiles(Repo.Path("provisioning", "grafana", "dashboards"), "*.json").Order();

    public static JsonElement Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    /// <summary>Every panel that is not a row.</summary>
    public static IEnumerable<JsonElement> Panels(JsonElement dashboard) =>
        dashboard.GetProperty("panels").EnumerateArray().Where(p => p.GetProperty("type").GetString() != "row");

    /// <summary>
    /// Every query, with <c>$__rate_interval</c> as 1m, the given variables (always in <c>=~"$var"</c>) as their values
    /// and every other as <c>.*</c>.
    /// </summary>
    public static IEnumerable<(string Panel, string Expr)> Queries(JsonElement dashboard, Dictionary<string, string>? variables = null) =>
        Panels(dashboard).SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => (
            p.GetProperty("title").GetString()!,
            Regex.Replace(t.GetProperty("expr").GetString()!.Replace("$__rate_interval", "1m", StringComparison.Ordinal), @"\$(\w+)",
                m => variables?.GetValueOrDefault(m.Groups[1].Value) is { } value ? Regex.Escape(value) : ".*"))));
}
