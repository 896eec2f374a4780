using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Monitoring.Tests.Infrastructure;

/// <summary>Builds the AppHost's model without starting it: no container runtime is needed.</summary>
internal sealed class AppHostModel : IAsyncDisposable
{
    // Most model tests read the model built with the default settings (or only the local images): it is built once and
    // shared, read-only, instead of once per test - each build costs seconds of CPU the end-to-end tests need.
    private static readonly Dictionary<string, Lazy<Task<AppHostModel>>> s_shared = new()
    {
        [""] = new(() => BuildNewAsync([], shared: true, CancellationToken.None)),
        ["Monitoring:ImageSource=Local"] = new(() => BuildNewAsync(["Monitoring:ImageSource=Local"], shared: true, CancellationToken.None)),
    };

    private readonly DistributedApplication _app;
    private readonly bool _shared;

    private AppHostModel(DistributedApplication app, bool shared)
    {
        _app = app;
        _shared = shared;
        Model = app.Services.GetRequiredService<DistributedApplicationModel>();
    }

    /// <summary>The built model.</summary>
    public DistributedApplicationModel Model { get; }

    /// <summary>Builds the model with configuration given as <c>key=value</c> pairs (<c>Monitoring:ImageSource=Local</c>).</summary>
    public static Task<AppHostModel> BuildAsync(params string[] settings) =>
        s_shared.TryGetValue(string.Join('|', settings), out var shared)
            ? shared.Value
            : BuildNewAsync(settings, shared: false, TestContext.Current.CancellationToken);

    /// <summary>Builds a model of its own (never the shared one), for tests that dispose it and check what remains.</summary>
    public static Task<AppHostModel> BuildOwnAsync(params string[] settings) =>
        BuildNewAsync(settings, shared: false, TestContext.Current.CancellationToken);

    private static async Task<AppHostModel> BuildNewAsync(string[] settings, bool shared, CancellationToken ct)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [.. settings.Select(s => $"--{s}")], (options, _) => options.DisableDashboard = true, ct);
        return new AppHostModel(await builder.BuildAsync(ct), shared);
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

    /// <summary>Disposes the app, unless it is a shared one (it lives as long as the test run).</summary>
    public ValueTask DisposeAsync() => _shared ? ValueTask.CompletedTask : _app.DisposeAsync();
}
