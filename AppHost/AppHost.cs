// The Monitoring stack: Prometheus scrapes every component and evaluates the alert rules, Alertmanager routes the
// alerts that fire, Grafana shows the dashboards, and the Probes service both emits metrics (with fault scenarios)
// and receives the notifications. Settings: appsettings.json, section "Monitoring" (docs/setup.md); every component
// but Prometheus and Probes can be switched off with Monitoring:Components:<name>=false.

var builder = DistributedApplication.CreateBuilder(args);
var monitoring = builder.AddMonitoring();

// The services: Kafka, Probes (with its Kafka workload), and Airflow's metadata database.
var kafka = monitoring.IsEnabled("kafka") ? builder.AddKafkaBroker("kafka").WithDataVolume() : null;
var probes = builder.AddProbes("probes", monitoring.ProbesHosting, kafka);
var postgres = monitoring.IsEnabled("postgres")
    ? builder.AddPostgres("postgres", password: builder.AddUrlSafePassword("postgres-password")).WithPinnedImage().WithDataVolumePerMajorVersion()
    : null;

// Prometheus, and Alertmanager delivering to the Probes webhook (it reads the webhook's address at each notification,
// so it need not wait for Probes).
var prometheus = builder.AddPrometheus("prometheus", monitoring.ProvisioningFor("prometheus"))
    .WithIntervals(monitoring.ScrapeInterval, monitoring.EvaluationInterval)
    .WithMaxAlertFor(monitoring.MaxAlertFor)
    .WithAlertResendDelay(monitoring.AlertResendDelay)
    .WithDataVolume();
prometheus.WithScrapeTarget("prometheus", prometheus);
probes.WithMonitoring(prometheus);

IResourceBuilder<AlertmanagerResource>? alertmanager = null;
if (monitoring.IsEnabled("alertmanager"))
{
    alertmanager = builder.AddAlertmanager("alertmanager", monitoring.ProvisioningFor("alertmanager"))
        .WithMaxGroupInterval(monitoring.MaxGroupInterval)
        .WithDataVolume()
        .WithWebhookReceiver("probes", probes, ProbesBuilderExtensions.WebhookPath)
        .WithWebhookReceiver("watchdog", probes, ProbesBuilderExtensions.WebhookPath)
        .WithConfiguredReceivers();
    prometheus.WithScrapeTarget("alertmanager", alertmanager).WaitFor(alertmanager);
}

// Exporters: the host, batch jobs (the Pushgateway), Postgres, Kafka, Airflow. Where Kafka or Airflow cannot run,
// Probes serves series shaped like their exporters' (labelled synthetic="true"), so their dashboards and alerts still work.
if (monitoring.IsEnabled("node-exporter"))
{
    var nodeExporter = builder.AddNodeExporter("node-exporter").WithHostFilesystem();
    prometheus.WithScrapeTarget("node", nodeExporter).WaitFor(nodeExporter);
}

if (monitoring.IsEnabled("pushgateway"))
{
    var pushgateway = builder.AddPushgateway("pushgateway").WithDataVolume();
    prometheus.WithScrapeTarget("pushgateway", pushgateway).WaitFor(pushgateway);
}

if (postgres is not null && monitoring.IsEnabled("postgres-exporter"))
{
    var postgresExporter = builder.AddPostgresExporter("postgres-exporter", postgres);
    prometheus.WithScrapeTarget("postgres", postgresExporter).WaitFor(postgresExporter);
}

if (kafka is not null && monitoring.IsEnabled("kafka-exporter"))
{
    var kafkaExporter = builder.AddKafkaExporter("kafka-exporter", kafka);
    prometheus.WithScrapeTarget("kafka", kafkaExporter).WaitFor(kafkaExporter);
}
else if (monitoring.UsesSyntheticSeries("kafka", "kafka-exporter"))
{
    probes.WithSyntheticSeries("kafka", prometheus, job: "kafka");
}

IResourceBuilder<AirflowResource>? airflow = null;
if (postgres is not null && monitoring.IsEnabled("airflow") && monitoring.IsEnabled("statsd-exporter"))
{
    var statsd = builder.AddStatsdExporter("statsd-exporter", monitoring.ProvisioningFor("statsd"));
    prometheus.WithScrapeTarget("airflow", statsd).WaitFor(statsd);
    airflow = builder.AddAirflow("airflow", postgres.AddDatabase("airflow-db", databaseName: "airflow"), statsd, monitoring.ProvisioningFor("airflow/dags"));
}
else
{
    postgres?.AddDatabase("airflow-db", databaseName: "airflow");
    if (monitoring.UsesSyntheticSeries("airflow", "statsd-exporter", "postgres"))
    {
        probes.WithSyntheticSeries("airflow", prometheus, job: "airflow");
    }
}

// Grafana, and the blackbox-exporter probing every UI and health endpoint from outside.
IResourceBuilder<GrafanaResource>? grafana = null;
if (monitoring.IsEnabled("grafana"))
{
    grafana = builder.AddGrafana("grafana", monitoring.ProvisioningFor("grafana"), prometheus).WithDataVolume();
}

if (monitoring.IsEnabled("blackbox-exporter"))
{
    var blackbox = builder.AddBlackboxExporter("blackbox-exporter", monitoring.ProvisioningFor("blackbox"))
        .WithHttpProbe(prometheus, "/-/ready")
        .WithHttpProbe(probes, "/status");
    if (alertmanager is not null)
    {
        blackbox.WithHttpProbe(alertmanager, "/-/ready");
    }

    if (grafana is not null)
    {
        blackbox.WithHttpProbe(grafana, "/api/health");
    }

    if (airflow is not null)
    {
        blackbox.WithHttpProbe(airflow, "/api/v2/monitor/health");
    }

    prometheus.WithBlackboxProbes("blackbox", blackbox).WaitFor(blackbox);
}

builder.UseHostPorts(monitoring)
    .UseStartupChecks(monitoring);
builder.Build().Run();
