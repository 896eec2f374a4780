using OpenTelemetry.Metrics;
using Monitoring.Probes;
using Monitoring.Probes.Alerting;
using Monitoring.Probes.Kafka;
using Monitoring.Probes.Synthetic;
using Monitoring.Probes.Work;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(ProbeMetrics.MeterName));
builder.Services.AddProblemDetails();
builder.Services.AddOptions<ProbesOptions>().BindConfiguration("Probes").ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<ScenarioRunner>();
builder.Services.AddSingleton<ProbeMetrics>();
builder.Services.AddSingleton<NotificationStore>();
builder.Services.AddHostedService<TrafficGenerator>();
builder.Services.AddHostedService<KafkaWorkload>();
builder.AddSyntheticSeries();

var app = builder.Build();
// Created now, not at the first notification: its gauges (heartbeat, active scenarios) are exported from the start.
app.Services.GetRequiredService<ProbeMetrics>();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapScenarios();
app.MapStatus();
app.MapWork();
app.MapSyntheticSeries();
app.MapAlertmanagerWebhook();
app.MapGet("/", () => TypedResults.Redirect("/scenarios"));

app.Run();
