using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Prometheus;

namespace Monitoring.Bench.Exporter;

/// <summary>
/// One <c>GET /metrics</c> of a Kestrel server on loopback holding <see cref="Series"/> counter series, served by the
/// OpenTelemetry Prometheus exporter (what Probes and every ServiceDefaults service use) or by prometheus-net (the
/// reference): latency, and the bytes allocated on both sides (server and client share the process).
/// </summary>
[MemoryDiagnoser]
public class ExporterBenchmarks
{
    /// <summary>The exporters compared.</summary>
    public const string OpenTelemetryExporter = "OpenTelemetry 1.20.1-beta.1";

    /// <summary>The reference.</summary>
    public const string PrometheusNet = "prometheus-net 8.2.1";

    private WebApplication? _app;
    private HttpClient? _client;
    private Meter? _meter;

    /// <summary>How many series the scrape serves.</summary>
    [Params(1_000, 10_000, 100_000)]
    public int Series { get; set; }

    /// <summary>Which exporter serves them.</summary>
    [Params(OpenTelemetryExporter, PrometheusNet)]
    public string Exporter { get; set; } = OpenTelemetryExporter;

    [GlobalSetup]
    public void Setup()
    {
        (_app, _meter) = Exporter == PrometheusNet ? StartPrometheusNet(Series) : StartOpenTelemetry(Series);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address) };
        // The first scrape creates what later ones reuse.
        _ = Scrape().GetAwaiter().GetResult();
    }

    /// <summary>One scrape; returns the body's size.</summary>
    [Benchmark]
    public async Task<int> Scrape() => (await _client!.GetByteArrayAsync("/metrics").ConfigureAwait(false)).Length;

    [GlobalCleanup]
    public void Cleanup()
    {
        _client?.Dispose();
        _app?.StopAsync().GetAwaiter().GetResult();
        (_app as IAsyncDisposable)?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _meter?.Dispose();
    }

    /// <summary>The size of one scrape's body, for the table.</summary>
    public static async Task<int> BytesPerScrapeAsync(string exporter, int series)
    {
        var benchmark = new ExporterBenchmarks { Exporter = exporter, Series = series };
        benchmark.Setup();
        try
        {
            return await benchmark.Scrape().ConfigureAwait(false);
        }
        finally
        {
            benchmark.Cleanup();
        }
    }

    private static WebApplicationBuilder Kestrel()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        return builder;
    }

    private static (WebApplication, Meter) StartOpenTelemetry(int series)
    {
        var builder = Kestrel();
        var meter = new Meter("Monitoring.Bench");
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(meter.Name)
            // Every series, above OpenTelemetry's default limit of 2000 per instrument.
            .AddView("bench.requests", new MetricStreamConfiguration { CardinalityLimit = series + 1 })
            // No cached response: each scrape serializes, as prometheus-net's does.
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        var counter = meter.CreateCounter<long>("bench.requests");
        for (var i = 0; i < series; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("series", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        app.StartAsync().GetAwaiter().GetResult();
        return (app, meter);
    }

    private static (WebApplication, Meter) StartPrometheusNet(int series)
    {
        var builder = Kestrel();
        var registry = Metrics.NewCustomRegistry();
        var app = builder.Build();
        app.MapMetrics("/metrics", registry);
        var counter = Metrics.WithCustomRegistry(registry).CreateCounter("bench_requests_total", "Requests.", "series");
        for (var i = 0; i < series; i++)
        {
            counter.WithLabels(i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
        }

        app.StartAsync().GetAwaiter().GetResult();
        return (app, new Meter("unused"));
    }
}
