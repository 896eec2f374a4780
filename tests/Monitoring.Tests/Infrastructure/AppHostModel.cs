using Aspire.Hosting.Eventing;
using Aspire.Hosting.Lifecycle;
using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Monitoring.Tests.Infrastructure;

/// <summary>Builds the AppHost's model without starting it: no container runtime is needed.</summary>
internal sealed class AppHostModel : IAsyncDisposable
{
    // The model most tests read (the default settings): built once, read by every test that asks for it, and disposed
    // when the test assembly ends (SharedModels). A build costs seconds of CPU that the end-to-end tests, running
    // alongside, wait on. Models with other settings are the test's own.
    private static readonly ConcurrentDictionary<string, Lazy<Task<DistributedApplication>>> s_shared = new(StringComparer.Ordinal);
    private static readonly string[][] s_sharedSettings = [[]];

    /// <summary>
    /// The container runtime the models are built with: one that exists only in this process, holds every pinned image
    /// and answers at once (<see cref="ImageAvailability.Answer"/>), so a model is the same on every machine and needs
    /// no runtime.
    /// </summary>
    public static string EveryImageRuntime { get; } = Seeded("model-tests-every-image");

    private static string Seeded(string runtime)
    {
        ImageAvailability.Answer(runtime, new Dictionary<string, string>());
        return runtime;
    }

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

    /// <summary>Builds the model, as on a machine with every image, with configuration given as <c>key=value</c> pairs (<c>Monitoring:Ports:grafana=3000</c>).</summary>
    public static async Task<AppHostModel> BuildAsync(params string[] settings)
    {
        if (s_sharedSettings.Any(shared => shared.SequenceEqual(settings)))
        {
            // Not the test's token: the model outlives the test that first asked for it.
            var app = await s_shared.GetOrAdd(string.Join('\n', settings), _ => new(() => BuildAppAsync(settings, CancellationToken.None))).Value;
            return new AppHostModel(app, shared: true);
        }

        return new AppHostModel(await BuildAppAsync(settings, TestContext.Current.CancellationToken), shared: false);
    }

    /// <summary>
    /// Builds the model as on a machine whose runtime can have the images of neither of <paramref name="unavailable"/>
    /// (each with the registry's answer), with configuration given as <c>key=value</c> pairs.
    /// </summary>
    public static async Task<AppHostModel> BuildWithoutImagesAsync(string[] unavailable, params string[] settings)
    {
        var runtime = $"model-tests-without-{string.Join('-', unavailable.Order(StringComparer.Ordinal))}";
        ImageAvailability.Answer(runtime, unavailable.ToDictionary(c => c, _ => "no registry answers (a model test)"));
        return new AppHostModel(await BuildAppAsync([.. settings, $"ASPIRE_CONTAINER_RUNTIME={runtime}"], TestContext.Current.CancellationToken), shared: false);
    }

    /// <summary>Disposes the shared models (at the end of the test assembly).</summary>
    public static async Task DisposeSharedAsync()
    {
        foreach (var model in s_shared.Values.Where(m => m.IsValueCreated))
        {
            if (await model.Value.ConfigureAwait(false) is { } app)
            {
                await app.DisposeAsync();
            }
        }
    }

    private static async Task<DistributedApplication> BuildAppAsync(string[] settings, CancellationToken ct)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--ASPIRE_CONTAINER_RUNTIME={EveryImageRuntime}", .. settings.Select(s => $"--{s}")], (options, _) => options.DisableDashboard = true, ct);
        var neverStarted = NeverStarted.Register(builder);
        try
        {
            return await builder.BuildAsync(ct);
        }
        finally
        {
            neverStarted.Built();
        }
    }

    /// <summary>
    /// Stops a model's app at the first step of its start-up, before the start-up checks and the orchestrator. The testing
    /// builder runs the AppHost's own entry point, which goes on to <c>Run()</c> the app it built whether or not the test
    /// starts it (Aspire.Hosting.Testing: DistributedApplicationEntryPointInvoker runs the entry point to its end, and the
    /// test's StartAsync only awaits that start). Without this, every model started the whole graph in the background for
    /// as long as it lived: an orchestrator, containers on the volumes a developer's own F5 uses, Probes.
    /// </summary>
    /// <remarks>
    /// It stops the start only once the test has its app (<see cref="Built"/>): the entry point's <c>Run()</c> can
    /// get here before the testing factory has taken the app it built (that happens on a thread-pool continuation), and
    /// an entry point that ends first fails the factory's wait for the app with this exception (seen under a full run's
    /// load: Aspire.Hosting.Testing, DistributedApplicationFactory.InvokeEntryPoint and OnEntryPointExit).
    /// </remarks>
    internal sealed class NeverStarted : IDistributedApplicationEventingSubscriber
    {
        private readonly TaskCompletionSource _built = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Keeps the builder's app from starting; call <see cref="Built"/> once its build has returned (or failed).</summary>
        public static NeverStarted Register(IDistributedApplicationTestingBuilder builder)
        {
            var neverStarted = new NeverStarted();
            builder.Services.AddSingleton<IDistributedApplicationEventingSubscriber>(neverStarted);
            return neverStarted;
        }

        /// <summary>The test has its app: the start may now be stopped.</summary>
        public void Built() => _built.TrySetResult();

        public async Task SubscribeAsync(IDistributedApplicationEventing eventing, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
        {
            await _built.Task.ConfigureAwait(false);
            throw new InvalidOperationException("A model built by the tests is read, never started.");
        }
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

    /// <summary>Disposes the model, unless it is shared (see <see cref="DisposeSharedAsync"/>).</summary>
    public ValueTask DisposeAsync() => _shared ? default : _app.DisposeAsync();
}
