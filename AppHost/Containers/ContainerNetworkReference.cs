namespace Monitoring.AppHost;

/// <summary>How a container of the stack refers to an endpoint of another resource that it reaches itself.</summary>
internal static class ContainerNetworkReference
{
    /// <summary>
    /// The target's endpoint as containers on the Aspire network see it (another container by its alias, a host
    /// process through the container tunnel). The reference is also set as an environment variable of
    /// <paramref name="container"/>: informational inside it, but how the orchestrator learns that the container
    /// reaches the target (and sets up the tunnel when the target is a host process). The dashboard shows the relation.
    /// </summary>
    /// <typeparam name="TContainer">The referring container's type.</typeparam>
    /// <typeparam name="TTarget">The target's type.</typeparam>
    /// <param name="container">The container that reaches the target.</param>
    /// <param name="target">The target.</param>
    /// <param name="endpointName">The target's endpoint.</param>
    /// <param name="environmentVariable">The variable that records the reference.</param>
    /// <param name="path">A path appended to the endpoint's URL in the variable.</param>
    /// <returns>The endpoint, resolved in the container network.</returns>
    public static EndpointReference Reference<TContainer, TTarget>(
        IResourceBuilder<TContainer> container, IResourceBuilder<TTarget> target, string endpointName, string environmentVariable, string path = "")
        where TContainer : IResourceWithEnvironment
        where TTarget : IResourceWithEndpoints
    {
        var endpoint = target.GetEndpoint(endpointName, KnownNetworkIdentifiers.DefaultAspireContainerNetwork);
        container.WithEnvironment(environmentVariable.Replace('-', '_').ToUpperInvariant(), ReferenceExpression.Create($"{endpoint}{path}"))
            .WithReferenceRelationship(target.Resource);
        return endpoint;
    }
}
