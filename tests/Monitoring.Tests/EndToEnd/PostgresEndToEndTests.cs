using Monitoring.Tests.Infrastructure;
using Npgsql;

namespace Monitoring.Tests.EndToEnd;

/// <summary>
/// Postgres and its exporter on real containers, and its alert fired end to end on the shared graph. (Not in the
/// Airflow and Kafka alerts' class: a class's tests run one after another, and these run beside that one.)
/// </summary>
public class PostgresEndToEndTests(StackFixture stack) : IClassFixture<SharedGraphUse>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_exporter_reports_postgres_up_and_airflows_database_to_prometheus()
    {
        await stack.ReadyAsync();
        var prometheus = new PrometheusApi(stack.Client("prometheus"));

        await Wait.UntilAsync("pg_up == 1 and the airflow database in Prometheus", async ct =>
            (await prometheus.QueryAsync("pg_up == 1", ct)).GetArrayLength() == 1
            && (await prometheus.QueryAsync("pg_stat_database_numbackends{datname=\"airflow\"}", ct)).GetArrayLength() == 1,
            TimeSpan.FromSeconds(60), Ct);
    }

    [Fact]
    public async Task Postgres_near_its_connection_limit_is_alerted()
    {
        await stack.ReadyAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(await stack.App.GetConnectionStringAsync("postgres", Ct)) { Pooling = false }.ConnectionString;
        var connections = new List<NpgsqlConnection>();
        var since = DateTimeOffset.UtcNow;
        try
        {
            await using (var first = new NpgsqlConnection(connectionString))
            {
                await first.OpenAsync(Ct);
                await using var command = new NpgsqlCommand("SELECT current_setting('max_connections')::int", first);
                var max = (int)(await command.ExecuteScalarAsync(Ct))!;
                // 85% of the limit, well over the alert's 80%, and under it for the superuser's reserved slots.
                for (var i = 0; i < max * 85 / 100; i++)
                {
                    var connection = new NpgsqlConnection(connectionString);
                    connections.Add(connection);
                    await connection.OpenAsync(Ct);
                }
            }

            var alert = await Webhook.AlertAsync(stack.Client("probes"), "PostgresTooManyConnections", "firing", since, Ct);
            Assert.Equal("warning", alert.Label("severity"));
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
