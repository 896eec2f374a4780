// The Monitoring stack: Prometheus scrapes every component and evaluates the alert rules, Alertmanager routes the
// alerts that fire, and the Probes service both emits metrics (with fault scenarios) and receives the notifications.
// Settings: appsettings.json, section "Monitoring" (docs/setup.md). Every component but Prometheus and Probes can be
// switched off with Monitoring:Components:<name>=false.

var builder = DistributedApplication.CreateBuilder(args);
var monitoring = builder.AddMonitoring();

var probes = builder.AddProbes("probes", monitoring.ProbesHosting);

var prometheus = builder.AddPrometheus("prometheus", monitoring.ProvisioningFor("prometheus"))
    .WithIntervals(monitoring.ScrapeInterval, monitoring.EvaluationInterval)
    .WithDataVolume();
prometheus.WithScrapeTarget("prometheus", prometheus)
    .WithScrapeTarget("probes", probes);

IResourceBuilder<AlertmanagerResource>? alertmanager = null;
if (monitoring.IsEnabled("alertmanager"))
{
    alertmanager = builder.AddAlertmanager("alertmanager", monitoring.ProvisioningFor("alertmanager"))
        .WithDataVolume()
        .WithWebhookReceiver("probes", probes, ProbesBuilderExtensions.WebhookPath)
        .WaitFor(probes);
    prometheus.WithScrapeTarget("alertmanager", alertmanager)
        .WaitFor(alertmanager);
}

if (monitoring.IsEnabled("node-exporter"))
{
    var nodeExporter = builder.AddNodeExporter("node-exporter").WithHostFilesystem();
    prometheus.WithScrapeTarget("node", nodeExporter)
        .WaitFor(nodeExporter);
}

if (monitoring.IsEnabled("postgres"))
{
    var postgres = builder.AddPostgres("postgres").WithDataVolume();
    postgres.AddDatabase("airflow");
    if (monitoring.IsEnabled("postgres-exporter"))
    {
        var postgresExporter = builder.AddPostgresExporter("postgres-exporter", postgres);
        prometheus.WithScrapeTarget("postgres", postgresExporter)
            .WaitFor(postgresExporter);
    }
}

if (monitoring.IsEnabled("blackbox-exporter"))
{
    var blackbox = builder.AddBlackboxExporter("blackbox-exporter", monitoring.ProvisioningFor("blackbox"))
        .WithHttpProbe(prometheus, "/-/ready")
        .WithHttpProbe(probes, "/health");
    if (alertmanager is not null)
    {
        blackbox.WithHttpProbe(alertmanager, "/-/ready");
    }

    prometheus.WithBlackboxProbes("blackbox", blackbox)
        .WaitFor(blackbox);
}

builder.UseImageSource(monitoring.ImageSource);
builder.Build().Run();
