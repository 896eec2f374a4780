using Microsoft.Extensions.DependencyInjection;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Model;

/// <summary>
/// The tests run what F5 runs: the graph the tests start (<see cref="TestStack"/>) and the one F5 starts, both built
/// here as on a machine with every image, differ only in what <see cref="Differences"/> lists, each with its reason
/// (docs/setup.md repeats the list). Images, arguments, environment and mounts are otherwise the same, resource by
/// resource. A new difference fails this test until it is listed; a listed one that no longer exists fails it too.
/// What the AppHost writes at start (the copies of the configuration with the test timers: <see cref="TestStack.Settings"/>)
/// is not in the model; the settings that shape them are listed there.
/// </summary>
public class TestModelEqualityTests
{
    /// <summary>
    /// What may differ, by resource and by item (<c>arg:</c> a command-line argument's name, <c>env:</c> a variable,
    /// <c>mount:</c> a mount's target, <c>resource</c> the resource itself), with the reason.
    /// </summary>
    public static readonly (string Resource, string Item, string Why)[] Differences =
    [
        .. TestStack.FullGraphOnly.Select(c => (c, "resource", "run by the full-graph test only; Probes serves Airflow's and Kafka's series in their place")),
        ("airflow-init", "resource", "part of Airflow, run by the full-graph test only"),
        ("airflow-scheduler", "resource", "part of Airflow, run by the full-graph test only"),
        ("airflow-dag-processor", "resource", "part of Airflow, run by the full-graph test only"),
        ("airflow-triggerer", "resource", "part of Airflow, run by the full-graph test only"),
        ("probes", "env:Probes__Synthetic__Airflow", "Probes serves Airflow's series where Airflow is off"),
        ("probes", "env:Probes__Synthetic__Kafka", "Probes serves Kafka's series where Kafka is off"),
        ("probes", "env:Kafka__BootstrapServers", "Kafka is off: Probes runs no Kafka workload"),
        ("probes", "env:OTEL_EXPORTER_OTLP_ENDPOINT", "Probes' telemetry goes to the tests' OTLP endpoint (OtlpSink), not the dashboard's"),
        ("probes", "waits", "Kafka is off: Probes waits for no broker"),
        ("prometheus", "waits", "kafka-exporter and statsd-exporter are off: Prometheus waits for neither"),
        ("prometheus", "env:SCRAPE_TARGET_KAFKA_KAFKA_EXPORTER", "the kafka job scrapes Probes' stand-in series, not kafka-exporter"),
        ("prometheus", "env:SCRAPE_TARGET_KAFKA_PROBES", "the kafka job scrapes Probes' stand-in series, not kafka-exporter"),
        ("prometheus", "env:SCRAPE_TARGET_AIRFLOW_STATSD_EXPORTER", "the airflow job scrapes Probes' stand-in series, not statsd-exporter"),
        ("prometheus", "env:SCRAPE_TARGET_AIRFLOW_PROBES", "the airflow job scrapes Probes' stand-in series, not statsd-exporter"),
        ("prometheus", "arg:--config.file", "Prometheus reads a copy of prometheus.yml with the test intervals (2 s scrapes, 1 s evaluations) and the rules' 'for' capped at 4 s"),
        ("prometheus", "arg:--rules.alert.resend-delay", "firing alerts are sent again every 2 s instead of every minute"),
        ("blackbox-exporter", "env:PROBE_TARGET_GRAFANA", "Grafana is off: nothing to probe"),
        ("blackbox-exporter", "env:PROBE_TARGET_AIRFLOW", "Airflow is off: nothing to probe"),
    ];

    /// <summary>
    /// What may differ between the whole graph's test (<see cref="EndToEnd.FullGraphEndToEndTests"/>) and F5, by
    /// resource and item, with the reason.
    /// </summary>
    public static readonly (string Resource, string Item, string Why)[] FullGraphDifferences =
    [
        ("kafka-2", "resource", "a second, broker-only Kafka node, so a partition can lose its leader while the first broker stays up"),
        ("kafka", "env:KAFKA_LISTENERS", "the first node's controller listens on the container network, for the second node"),
        ("kafka", "env:KAFKA_CONTROLLER_QUORUM_VOTERS", "the quorum is named by the container network's alias, for the second node"),
        ("prometheus", "arg:--config.file", "Prometheus reads a copy of prometheus.yml with the rules' 'for' capped at 4 s"),
        ("prometheus", "arg:--rules.alert.resend-delay", "firing alerts are sent again every 2 s instead of every minute"),
        ("probes", "env:OTEL_EXPORTER_OTLP_ENDPOINT", "Probes' telemetry goes to the tests' OTLP endpoint (OtlpSink), not the dashboard's"),
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_tests_graph_differs_from_f5s_only_as_documented() =>
        await AssertDiffersOnlyAsync(Differences, _ => { }, []);

    [Fact]
    public async Task The_whole_graphs_test_differs_from_f5s_only_as_documented() =>
        await AssertDiffersOnlyAsync(FullGraphDifferences, EndToEnd.FullGraphEndToEndTests.AddSecondBroker, EndToEnd.FullGraphEndToEndTests.Settings);

    /// <summary>Builds F5's model and a test graph's model, both as on a machine with every image, and holds their differences to the list.</summary>
    private static async Task AssertDiffersOnlyAsync(
        (string Resource, string Item, string Why)[] differences, Action<IDistributedApplicationTestingBuilder> configure, string[] settings)
    {
        // F5: the AppHost's default launch profile, as Visual Studio and `dotnet run` start it.
        await using var f5 = await AppHostModel.BuildAsync([.. LaunchProfile("http")]);
        using var volumes = new TestVolumes();
        AppHostModel.NeverStarted? neverStarted = null;
        DistributedApplication built;
        try
        {
            built = await TestStack.BuildAsync(volumes, Ct,
                builder =>
                {
                    neverStarted = AppHostModel.NeverStarted.Register(builder);
                    configure(builder);
                },
                [$"ASPIRE_CONTAINER_RUNTIME={AppHostModel.EveryImageRuntime}", .. settings]);
        }
        finally
        {
            neverStarted?.Built();
        }

        await using var tests = built;
        var testsModel = tests.Services.GetRequiredService<DistributedApplicationModel>();

        var found = new List<string>();
        var f5Resources = f5.Model.Resources.Where(Runs).ToDictionary(r => r.Name);
        var testResources = testsModel.Resources.Where(Runs).ToDictionary(r => r.Name);
        foreach (var name in f5Resources.Keys.Union(testResources.Keys).Order(StringComparer.Ordinal))
        {
            if (!f5Resources.TryGetValue(name, out var a) || !testResources.TryGetValue(name, out var b))
            {
                found.Add($"{name} resource");
                continue;
            }

            found.AddRange((await DescribeAsync(a)).Compare(await DescribeAsync(b)).Select(item => $"{name} {item}"));
        }

        var documented = differences.Select(d => $"{d.Resource} {d.Item}").ToList();
        Assert.True(found.Order().SequenceEqual(documented.Order()),
            $"Undocumented differences: {string.Join("; ", found.Except(documented))}. Documented but gone: {string.Join("; ", documented.Except(found))}.");
    }

    [Fact]
    public void Docs_setup_md_lists_every_setting_the_tests_graphs_change()
    {
        var setup = File.ReadAllText(Repo.Path("docs", "setup.md"));

        foreach (var (setting, _) in TestStack.Settings)
        {
            var (key, value) = (setting.Split('=')[0].Replace("Monitoring:", "", StringComparison.Ordinal), setting.Split('=')[1]);
            var listed = key.StartsWith("Components:", StringComparison.Ordinal)
                ? setup.Contains("`Components:", StringComparison.Ordinal) && setup.Contains($"`{key["Components:".Length..]}`", StringComparison.Ordinal)
                : setup.Contains($"{key}={value}", StringComparison.Ordinal);
            Assert.True(listed, $"docs/setup.md does not list the tests' {setting}");
        }
    }

    /// <summary>The environment a launch profile of the AppHost sets, as settings.</summary>
    private static IEnumerable<string> LaunchProfile(string name)
    {
        using var file = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Repo.Path("AppHost", "Properties", "launchSettings.json")));
        return [.. file.RootElement.GetProperty("profiles").GetProperty(name).GetProperty("environmentVariables").EnumerateObject()
            .Select(v => $"{v.Name.Replace("__", ":", StringComparison.Ordinal)}={v.Value.GetString()}")];
    }

    private static bool Runs(IResource resource) => resource is ContainerResource or ProjectResource or UnavailableComponentResource;

    private static async Task<Description> DescribeAsync(IResource resource)
    {
        var items = new Dictionary<string, string>(StringComparer.Ordinal);
        if (resource is ContainerResource container)
        {
            items["image"] = container.TryGetLastAnnotation<ContainerImageAnnotation>(out var image) ? $"{image.Registry}/{image.Image}:{image.Tag}" : "";
            items["entrypoint"] = container.Entrypoint ?? "";
            var runtimeArgs = new List<object>();
            foreach (var callback in container.Annotations.OfType<ContainerRuntimeArgsCallbackAnnotation>())
            {
                await callback.Callback(new ContainerRuntimeArgsCallbackContext(runtimeArgs));
            }

            items["runtime-args"] = string.Join(' ', runtimeArgs);
        }

        foreach (var argument in (await AppHostModel.RawArgsOfAsync(resource)).GroupBy(a => a.Split('=')[0]))
        {
            items[$"arg:{argument.Key}"] = string.Join(' ', argument);
        }

        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run));
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        foreach (var (key, value) in context.EnvironmentVariables)
        {
            items[$"env:{key}"] = value is IManifestExpressionProvider m ? m.ValueExpression : value?.ToString() ?? "";
        }

        // A volume is named per test (TestVolumes), a generated folder per app: their sources differ by design.
        foreach (var mount in resource.Annotations.OfType<ContainerMountAnnotation>())
        {
            var generated = mount.Type == ContainerMountType.Volume || mount.Source?.StartsWith(Path.GetTempPath(), StringComparison.Ordinal) == true;
            items[$"mount:{mount.Target}"] = $"{mount.Type} {(mount.IsReadOnly ? "ro" : "rw")} {(generated ? "" : mount.Source)}";
        }

        foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
        {
            items[$"endpoint:{endpoint.Name}"] = $"{endpoint.UriScheme} {endpoint.Protocol} {endpoint.TargetPort} {endpoint.Port} {endpoint.IsExternal} {endpoint.IsProxied}";
        }

        items["health"] = string.Join(' ', resource.Annotations.OfType<HealthCheckAnnotation>().Select(h => h.Key).Order(StringComparer.Ordinal));
        items["waits"] = string.Join(' ', resource.Annotations.OfType<WaitAnnotation>().Select(w => $"{w.Resource.Name}:{w.WaitType}").Order(StringComparer.Ordinal));
        return new Description(items);
    }

    private sealed record Description(Dictionary<string, string> Items)
    {
        public IEnumerable<string> Compare(Description other) =>
            Items.Keys.Union(other.Items.Keys).Where(k => Items.GetValueOrDefault(k) != other.Items.GetValueOrDefault(k)).Order(StringComparer.Ordinal);
    }
}
