using Microsoft.Extensions.Options;

namespace Monitoring.Probes.Alerting;

/// <summary>The most recent Alertmanager notifications, in arrival order; bounded so memory cannot grow without limit.</summary>
/// <param name="options">The capacity.</param>
public sealed class NotificationStore(IOptions<ProbesOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Queue<AlertmanagerNotification> _items = new();
    private long _dropped;

    /// <summary>How many notifications are kept at most.</summary>
    public int Capacity { get; } = options.Value.NotificationCapacity;

    /// <summary>How many older notifications were dropped to stay within <see cref="Capacity"/>.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Keeps a notification, dropping the oldest when full.</summary>
    /// <param name="notification">The notification.</param>
    public void Add(AlertmanagerNotification notification)
    {
        lock (_gate)
        {
            _items.Enqueue(notification);
            while (_items.Count > Capacity)
            {
                _items.Dequeue();
                Interlocked.Increment(ref _dropped);
            }
        }
    }

    /// <summary>The kept notifications, oldest first.</summary>
    /// <returns>A copy of the list.</returns>
    public IReadOnlyList<AlertmanagerNotification> Snapshot()
    {
        lock (_gate)
        {
            return [.. _items];
        }
    }
}
