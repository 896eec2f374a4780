namespace Monitoring.Tests.Infrastructure;

/// <summary>Callers of a service: each sends one request at a time, at most ten a second, as a steady stream of users would.</summary>
internal static class Callers
{
    /// <summary>
    /// How many callers <see cref="RushUntilAsync"/> uses after a fault that acts on the server (Probes' scenarios fail
    /// or slow every request, the rush's too): at most 500 requests a second, a test device far above the steady traffic.
    /// The service alerts' rules (alerts.yml) read 1m windows, and resolve once under 5% of the window's requests failed
    /// and under 1% were slow (its p99). At Probes' own ten requests a second the fault's requests must leave the window
    /// first, a minute; under this rush the shares fall under the thresholds within seconds. The same rules read the
    /// same ASP.NET Core metrics, and the resolution must still be delivered. That the rules resolve at steady traffic
    /// once the fault's requests leave the window is proven by promtool's unit tests (services.test.yml), and the minute
    /// it takes is the resolution figure of the benchmarks (docs/performance.md).
    /// </summary>
    public const int Rush = 50;

    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Calls a path ten times a second, one request at a time, until cancelled; the answers are dropped.</summary>
    /// <param name="client">The service's client.</param>
    /// <param name="path">The path called.</param>
    /// <param name="cancellationToken">Ends the calls.</param>
    public static async Task CallAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(s_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                using var response = await client.GetAsync(path, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Done calling.
        }
    }

    /// <summary>
    /// Has <paramref name="callers"/> callers call a path until <paramref name="until"/> ends, and returns once it has.
    /// A request that fails (a reset connection, a timeout on the busy machine) is not the test's subject: that caller
    /// goes on with the next one, so a transient failure neither fails the test nor thins the rush.
    /// </summary>
    /// <param name="client">The service's client.</param>
    /// <param name="path">The path called.</param>
    /// <param name="callers">How many callers (<see cref="Rush"/>, or fewer: see the callers).</param>
    /// <param name="until">What the calls go on for: its outcome is the method's.</param>
    /// <param name="cancellationToken">The test's token.</param>
    public static async Task RushUntilAsync(HttpClient client, string path, int callers, Func<Task> until, CancellationToken cancellationToken)
    {
        using var calling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var calls = Enumerable.Range(0, callers).Select(_ => CallOnAsync(client, path, calling.Token)).ToArray();
        try
        {
            await until();
        }
        finally
        {
            await calling.CancelAsync();
            await Task.WhenAll(calls);
        }
    }

    private static async Task CallOnAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(s_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    using var response = await client.GetAsync(path, cancellationToken);
                }
                catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    // A failed request of the rush: the next tick sends another.
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Done calling.
        }
    }
}
