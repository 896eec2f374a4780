namespace Monitoring.AppHost;

/// <summary>Lookups over the pins generated from <c>eng/images/pins.txt</c>.</summary>
internal static partial class PinnedImages
{
    /// <summary>The pin of a component.</summary>
    /// <param name="component">The component (its resource name).</param>
    /// <returns>Its pin.</returns>
    /// <exception cref="ArgumentException">No line of <c>eng/images/pins.txt</c> names it.</exception>
    public static PinnedImage Of(string component) =>
        All.SingleOrDefault(p => p.Component == component)
        ?? throw new ArgumentException($"eng/images/pins.txt has no line for '{component}'.", nameof(component));
}
