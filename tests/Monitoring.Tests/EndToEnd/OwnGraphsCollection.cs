namespace Monitoring.Tests.EndToEnd;

/// <summary>
/// Tests that start graphs of their own (besides the shared one and the fault test's) run one after another: on two
/// cores, more graphs at once starve each other and the orchestrator's stops time out.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OwnGraphsCollection
{
    public const string Name = "Graphs of their own";
}
