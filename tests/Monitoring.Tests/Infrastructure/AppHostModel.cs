using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Monitoring.Tests.Infrastructure;

/// <summary>Builds the AppHost's model without starting it: no container runtime is needed.</summary>
internal sealed class AppHostModel : IAsyncDisposable
{
    private readonly DistributedApplication _app;

    private AppHostModel(DistributedApplication app)
    {
        _app = app;
        Model = app.Services.GetRequiredService<DistributedApplicationModel>();
    }

    /// <summary>The built model.</summary>
    public DistributedApplicationModel Model { get; }

    /// <summary>Builds the model with configuration given as <c>key=value</c> pairs (<c>Monitoring:ImageSource=Local</c>).</summary>
    public static async Task<AppHostModel> BuildAsync(params string[] settings)
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [.. settings.Select(s => $"--{s}")], (options, _) => options.DisableDashboard = true, ct);
        return new AppHostModel(await builder.BuildAsync(ct));
    }

    /// <summary>The resource of that name and type.</summary>
    public T Resource<T>(string name) where T : IResource =>
        Assert.IsType<T>(Model.Resources.SingleOrDefault(r => r.Name == name) ?? throw new Xunit.Sdk.XunitException($"No resource '{name}'."), exactMatch: false);

    /// <summary>Whether a resource of that name exists.</summary>
    public bool Has(string name) => Model.Resources.Any(r => r.Name == name);

    /// <summary>The image a container runs, as <c>registry/image:tag</c>.</summary>
    public static string ImageOf(IResource resource)
    {
        Assert.True(resource.TryGetLastAnnotation<ContainerImageAnnotation>(out var image), $"{resource.Name} has no image.");
        return $"{image.Registry}/{image.Image}:{image.Tag}";
    }

    /// <summary>The names of the resources a resource waits for.</summary>
    public static IReadOnlyList<string> WaitsFor(IResource resource) =>
        [.. resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Order()];

    /// <summary>The resource's arguments, with parameters resolved.</summary>
    public async Task<IReadOnlyList<string>> ArgsOfAsync(IResource resource)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithArgumentsConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), NullLogger.Instance, TestContext.Current.CancellationToken);
        Assert.Null(configuration.Exception);
        return [.. configuration.Arguments.Select(a => a.Value)];
    }

    /// <summary>The resource's environment as the model holds it: literals, parameters and reference expressions, unresolved.</summary>
    public async Task<IReadOnlyDictionary<string, object>> EnvironmentOfAsync(IResource resource)
    {
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run));
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables;
    }

    /// <summary>The resource's arguments as the model holds them (manifest expressions for references), unresolved.</summary>
    public static async Task<IReadOnlyList<string>> RawArgsOfAsync(IResource resource)
    {
        var args = new List<object>();
        var context = new CommandLineArgsCallbackContext(args, resource);
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return [.. args.Select(a => a is IManifestExpressionProvider m ? m.ValueExpression : a.ToString() ?? "")];
    }

    /// <summary>The bind mounts and volumes of a container, by target path.</summary>
    public static IReadOnlyDictionary<string, ContainerMountAnnotation> MountsOf(IResource resource) =>
        resource.Annotations.OfType<ContainerMountAnnotation>().ToDictionary(m => m.Target);

    /// <summary>The endpoint of that name.</summary>
    public static EndpointAnnotation EndpointOf(IResource resource, string name = "http") =>
        resource.Annotations.OfType<EndpointAnnotation>().SingleOrDefault(e => e.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"{resource.Name} has no endpoint '{name}'.");

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
