namespace Monitoring.AppHost;

/// <summary>An Alertmanager receiver whose webhook URL is an endpoint of another resource.</summary>
/// <param name="receiver">The receiver's name in <c>alertmanager.yml</c>.</param>
/// <param name="endpoint">The endpoint, resolved as Alertmanager's container sees it.</param>
/// <param name="path">The path of the webhook on that endpoint.</param>
public sealed class WebhookReceiverAnnotation(string receiver, EndpointReference endpoint, string path) : IResourceAnnotation
{
    /// <summary>The receiver's name.</summary>
    public string Receiver { get; } = receiver;

    /// <summary>The endpoint.</summary>
    public EndpointReference Endpoint { get; } = endpoint;

    /// <summary>The webhook's path.</summary>
    public string Path { get; } = path;
}
