using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Monitoring.Probes.Synthetic;

/// <summary>Which synthetic series the Probes service serves (section <c>Probes:Synthetic</c>); both off unless set.</summary>
public sealed class SyntheticSeriesOptions
{
    /// <summary>Serve Airflow-shaped series at <c>/synthetic/airflow/metrics</c> (the AppHost sets it only while the real Airflow is off).</summary>
    public bool Airflow { get; set; }

    /// <summary>Serve Kafka-shaped series at <c>/synthetic/kafka/metrics</c> (the AppHost sets it only while the real kafka-exporter is off).</summary>
    public bool Kafka { get; set; }
}

/// <summary>
/// Wires the synthetic Airflow and Kafka series: each has its own meter provider and Prometheus endpoint, so they
/// never mix with the service's own <c>/metrics</c> or with what it sends over OTLP.
/// </summary>
public static class SyntheticSeries
{
    /// <summary>Registers the synthetic systems that are switched on, and the clock that advances them.</summary>
    /// <param name="builder">The host builder.</param>
    /// <returns>The builder.</returns>
    public static WebApplicationBuilder AddSyntheticSeries(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Probes:Synthetic").Get<SyntheticSeriesOptions>() ?? new();
        builder.Services.Configure<SyntheticSeriesOptions>(builder.Configuration.GetSection("Probes:Synthetic"));
        if (options.Airflow)
        {
            builder.Services.AddSingleton<SyntheticAirflow>();
        }

        if (options.Kafka)
        {
            builder.Services.AddSingleton<SyntheticKafka>();
        }

        builder.Services.AddHostedService<Clock>();
        return builder;
    }

    /// <summary>Maps the Prometheus endpoint of each synthetic system that is switched on.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The application.</returns>
    public static WebApplication MapSyntheticSeries(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<SyntheticSeriesOptions>>().Value;
        if (options.Airflow)
        {
            Map(app, SyntheticAirflow.MeterName, SyntheticAirflow.MetricsPath, hold: null);
        }

        if (options.Kafka)
        {
            var kafka = app.Services.GetRequiredService<SyntheticKafka>();
            Map(app, SyntheticKafka.MeterName, SyntheticKafka.MetricsPath, hold: kafka.HoldScrapeAsync);
        }

        return app;
    }

    /// <summary>Maps one synthetic system's Prometheus endpoint, on a meter provider of its own.</summary>
    /// <param name="app">The application.</param>
    /// <param name="meterName">The system's meter.</param>
    /// <param name="path">Where its series are served.</param>
    /// <param name="hold">What a scrape waits for before it is answered, as the real exporter's would; none when <see langword="null"/>.</param>
    private static void Map(WebApplication app, string meterName, string path, Func<CancellationToken, Task>? hold)
    {
        var provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(meterName)
            // Exactly the exporter's shape: no OpenTelemetry scope labels or target_info.
            .AddPrometheusExporter(o => (o.ScopeInfoEnabled, o.TargetInfoEnabled) = (false, false))
            .Build();
        app.Lifetime.ApplicationStopped.Register(provider.Dispose);
        app.MapPrometheusScrapingEndpoint(path, provider, configureBranchedPipeline: hold is null ? null : branch => branch.Use(async (context, next) =>
        {
            try
            {
                await hold(context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The scraper gave up, as Prometheus does at its scrape timeout.
                return;
            }

            await next(context).ConfigureAwait(false);
        }), optionsName: null);
    }

    /// <summary>Advances the synthetic systems once a second.</summary>
    private sealed class Clock(IServiceProvider services, TimeProvider time) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var airflow = services.GetService<SyntheticAirflow>();
            var kafka = services.GetService<SyntheticKafka>();
            if (airflow is null && kafka is null)
            {
                return;
            }

            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
            do
            {
                airflow?.Tick();
                kafka?.Tick();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
    }
}
