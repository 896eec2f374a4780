namespace Monitoring.Tests.Infrastructure;

/// <summary>Callers of a service: each sends one request at a time, ten a second, as a steady stream of users would.</summary>
internal static class Callers
{
    /// <summary>
    /// How many callers bring a service's requests back to good after a fault, in <see cref="WhileAsync{T}"/>: about
    /// 500 requests a second. The service alerts' rules (alerts.yml) read 1m windows, and resolve once under 5% of
    /// the window's requests failed and under 1% were slow (its p99). At Probes' own ten requests a second, the fault's
    /// requests must leave the window first: a minute. With good requests at this rate, as the traffic a service gets
    /// back after an incident, the shares fall under the thresholds within seconds: the same rules read the same
    /// ASP.NET Core metrics, and the resolution must still be delivered. The minute it takes at steady traffic is the
    /// resolution figure of the benchmarks (docs/performance.md).
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

    /// <summary>Has <paramref name="callers"/> callers call a path until <paramref name="until"/> ends, and returns its result.</summary>
    /// <typeparam name="T">The result's type.</typeparam>
    /// <param name="client">The service's client.</param>
    /// <param name="path">The path called.</param>
    /// <param name="callers">How many callers (<see cref="Rush"/> after a fault).</param>
    /// <param name="until">What the calls go on for.</param>
    /// <param name="cancellationToken">The test's token.</param>
    /// <returns><paramref name="until"/>'s result.</returns>
    public static async Task<T> WhileAsync<T>(HttpClient client, string path, int callers, Task<T> until, CancellationToken cancellationToken)
    {
        using var calling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var calls = Enumerable.Range(0, callers).Select(_ => CallAsync(client, path, calling.Token)).ToArray();
        try
        {
            return await until;
        }
        finally
        {
            await calling.CancelAsync();
            await Task.WhenAll(calls);
        }
    }
}
