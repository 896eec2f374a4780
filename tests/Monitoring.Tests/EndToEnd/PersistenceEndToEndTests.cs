using Monitoring.Tests.Infrastructure;
using Npgsql;

namespace Monitoring.Tests.EndToEnd;

/// <summary>Data in the named volumes survives stopping the whole AppHost and starting it again.</summary>
public class PersistenceEndToEndTests
{
    // A small graph: what persists is Prometheus' and Postgres' data; the rest only slows the two starts down.
    private static readonly string[] s_smallGraph =
    [
        "Monitoring:Components:alertmanager=false",
        "Monitoring:Components:node-exporter=false",
        "Monitoring:Components:blackbox-exporter=false",
        "Monitoring:Components:postgres-exporter=false",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Prometheus_samples_and_postgres_rows_survive_a_restart_of_the_apphost()
    {
        ContainerHost.SkipUnlessImages(ContainerHost.AllLocalImages);
        using var volumes = new TestVolumes();
        var marker = Guid.NewGuid().ToString("n");
        DateTimeOffset sampledAt;

        await using (var first = await TestStack.StartAsync(volumes, Ct, s_smallGraph))
        {
            await ExecuteAsync(await first.GetConnectionStringAsync("postgres", Ct), $"CREATE TABLE survives (marker text); INSERT INTO survives VALUES ('{marker}');");
            var prometheus = new PrometheusApi(first.CreateHttpClient("prometheus", "http"));
            await Wait.UntilAsync("Prometheus to have scraped itself", async ct =>
                (await prometheus.QueryAsync("up{job=\"prometheus\"} == 1", ct)).GetArrayLength() == 1, TimeSpan.FromSeconds(60), Ct);
            sampledAt = DateTimeOffset.UtcNow;
            await first.StopAsync(Ct);
        }

        await using var second = await TestStack.StartAsync(volumes, Ct, s_smallGraph);
        var rows = await ScalarAsync(await second.GetConnectionStringAsync("postgres", Ct), $"SELECT count(*) FROM survives WHERE marker = '{marker}'");
        Assert.Equal(1L, rows);

        // A query at a time before the second start can only be answered from the first run's samples.
        var before = await new PrometheusApi(second.CreateHttpClient("prometheus", "http")).QueryAsync("up{job=\"prometheus\"}", Ct, sampledAt);
        Assert.Equal(1, before.GetArrayLength());
    }

    private static async Task ExecuteAsync(string? connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<object?> ScalarAsync(string? connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }
}
