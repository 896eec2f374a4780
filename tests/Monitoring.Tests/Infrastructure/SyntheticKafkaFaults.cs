namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// The shared graph's synthetic Kafka, between the tests that read its healthy series (the Kafka dashboard's) and the
/// one that takes all its partitions' leaders, then its broker, away (<see cref="EndToEnd.AlertsEndToEndTests"/>): for
/// two minutes there are no offset series, then no series at all, as with a real Kafka. Whichever comes first goes
/// first; the other waits for it.
/// </summary>
internal static class SyntheticKafkaFaults
{
    private static readonly SemaphoreSlim s_gate = new(1, 1);

    /// <summary>Waits for the synthetic Kafka to be the caller's alone; dispose to hand it on.</summary>
    public static async Task<IDisposable> HoldAsync(CancellationToken cancellationToken)
    {
        await s_gate.WaitAsync(cancellationToken);
        return new Held();
    }

    private sealed class Held : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                s_gate.Release();
            }
        }
    }
}
