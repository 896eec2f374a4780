namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// Stands in the dashboard for a component that is on but cannot run with the chosen image source, saying why; it
/// runs nothing.
/// </summary>
/// <param name="name">The component's name.</param>
/// <param name="reason">Why it is not running.</param>
public sealed class UnavailableComponentResource(string name, string reason) : Resource(name)
{
    /// <summary>Why it is not running.</summary>
    public string Reason { get; } = reason;
}
