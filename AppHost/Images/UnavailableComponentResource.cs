namespace Monitoring.AppHost;

/// <summary>
/// Stands in the dashboard for a component that is on but whose image can be had here neither locally nor from a
/// registry, saying why; it runs nothing.
/// </summary>
/// <param name="name">The component's name.</param>
/// <param name="reason">Why it is not running.</param>
public sealed class UnavailableComponentResource(string name, string reason) : Resource(name)
{
    /// <summary>Why it is not running.</summary>
    public string Reason { get; } = reason;
}
