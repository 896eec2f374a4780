using Microsoft.Extensions.DependencyInjection;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// Starts the AppHost's graph for real (Podman, the local images, Probes as a container, 2 s scrape and evaluation
/// intervals), waits until every resource is healthy, and tears everything down after the collection, volumes included.
/// Where the runtime or an image is missing it does not start, and every test using it is skipped with the reason.
/// </summary>
public sealed class StackFixture : IAsyncLifetime
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(4);
    private readonly List<string> _volumes = [];
    private DistributedApplication? _app;

    /// <summary>The running application.</summary>
    public DistributedApplication App => _app ?? throw new InvalidOperationException("The stack is not running.");

    /// <summary>Why the stack could not start here, or <see langword="null"/>.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>The names of the resources in the graph.</summary>
    public IReadOnlyList<string> ResourceNames { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        try
        {
            ContainerHost.SkipUnlessImages(ContainerHost.PrometheusImage, ContainerHost.AlertmanagerImage, ContainerHost.NodeExporterImage, ContainerHost.ProbesImage);
        }
        catch (Exception ex) when (ex.GetType().Name == "SkipException")
        {
            SkipReason = ex.Message.Replace("$XunitDynamicSkip$", "", StringComparison.Ordinal);
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(s_startTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [
                "--Monitoring:ImageSource=Local",
                "--Monitoring:ProbesHosting=Container",
                "--Monitoring:ScrapeInterval=2s",
                "--Monitoring:EvaluationInterval=2s",
                $"--ASPIRE_CONTAINER_RUNTIME={ContainerHost.Runtime}",
                // Every hop is container to container here, so the container-to-host tunnel is not needed (docs/setup.md).
                "--ASPIRE_ENABLE_CONTAINER_TUNNEL=false",
            ],
            (options, _) => options.DisableDashboard = true,
            timeout.Token);
        UseFreshVolumes(builder);

        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);
        ResourceNames = [.. _app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .Where(r => r is ContainerResource or ProjectResource).Select(r => r.Name)];
        foreach (var name in ResourceNames)
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token);
        }
    }

    /// <summary>Skips the calling test when the stack could not start here.</summary>
    public void SkipIfUnavailable() => Assert.SkipWhen(SkipReason is not null, SkipReason ?? "");

    /// <summary>An HTTP client for a resource's <c>http</c> endpoint.</summary>
    public HttpClient Client(string resource) => App.CreateHttpClient(resource, "http");

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        foreach (var volume in _volumes)
        {
            ContainerHost.Run(["volume", "rm", "--force", volume]);
        }
    }

    /// <summary>Gives every named volume a name of its own, so a test run neither sees nor leaves a developer's data.</summary>
    private void UseFreshVolumes(IDistributedApplicationTestingBuilder builder)
    {
        foreach (var resource in builder.Resources)
        {
            foreach (var mount in resource.Annotations.OfType<ContainerMountAnnotation>().Where(m => m.Type == ContainerMountType.Volume).ToList())
            {
                var name = $"monitoring-test-{resource.Name}-{Guid.NewGuid():n}"[..48];
                _volumes.Add(name);
                resource.Annotations.Remove(mount);
                resource.Annotations.Add(new ContainerMountAnnotation(name, mount.Target, ContainerMountType.Volume, mount.IsReadOnly));
            }
        }
    }
}

/// <summary>The tests that share one running graph.</summary>
[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}
