using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>Postgres and its exporter on real containers.</summary>
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
}
