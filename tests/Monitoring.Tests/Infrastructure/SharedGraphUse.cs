namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// A test class's use of the shared graph (<see cref="StackFixture"/>), as its class fixture: once every class of the
/// assembly that declares it has finished, the graph stops, rather than idling on two busy cores until the tests on
/// graphs of their own end. When a run leaves some of them out (a filter), the graph stops with the assembly.
/// </summary>
/// <param name="stack">The shared graph.</param>
public sealed class SharedGraphUse(StackFixture stack) : IAsyncDisposable
{
    /// <summary>How many test classes declare this fixture.</summary>
    public static int Users { get; } = typeof(SharedGraphUse).Assembly.GetTypes().Count(t => typeof(IClassFixture<SharedGraphUse>).IsAssignableFrom(t));

    /// <inheritdoc />
    public ValueTask DisposeAsync() => stack.ReleaseAsync();
}
