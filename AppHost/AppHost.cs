// The Monitoring stack: Prometheus scrapes every component and evaluates the alert rules, Alertmanager routes the
// alerts that fire, and the Probes service both emits metrics (with fault scenarios) and receives the notifications.
// Settings: appsettings.json, section "Monitoring" (docs/setup.md).

var builder = DistributedApplication.CreateBuilder(args);
var monitoring = builder.AddMonitoring();

var probes = builder.AddProbes("probes", monitoring.ProbesHosting);

var prometheus = builder.AddPrometheus("prometheus", monitoring.ProvisioningFor("prometheus"))
    .WithIntervals(monitoring.ScrapeInterval, monitoring.EvaluationInterval)
    .WithDataVolume();
prometheus.WithScrapeTarget("prometheus", prometheus)
    .WithScrapeTarget("probes", probes);

if (monitoring.IsEnabled("alertmanager"))
{
    var alertmanager = builder.AddAlertmanager("alertmanager", monitoring.ProvisioningFor("alertmanager"))
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

builder.UseImageSource(monitoring.ImageSource);
builder.Build().Run();
