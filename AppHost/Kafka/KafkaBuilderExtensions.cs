using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Monitoring.AppHost;

/// <summary>Adds a Kafka broker and its exporter to the application model.</summary>
public static class KafkaBuilderExtensions
{
    private const int BrokerPort = 9092;
    private const int InternalBrokerPort = 9093;
    private const string Listeners = "HOST://0.0.0.0:9092,INTERNAL://0.0.0.0:9093,CONTROLLER://localhost:9094";
    private const string ControllerVoters = "1@localhost:9094";
    private const string DataMountPath = "/var/lib/kafka/data";
    // A KRaft cluster needs a fixed id (base64 of 16 bytes); one local cluster per data volume.
    private const string ClusterId = "bW9uaXRvcmluZy1rYWZrYQ";

    /// <summary>
    /// Adds a single-node Kafka broker (the official <c>apache/kafka</c> image, KRaft). It is healthy once it answers
    /// a metadata request (Confluent.Kafka's admin client) on its host listener.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="port">The host port of the host listener; random when not given.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<KafkaBrokerResource> AddKafkaBroker(this IDistributedApplicationBuilder builder, [ResourceName] string name, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        var kafka = new KafkaBrokerResource(name);
        string? bootstrapServers = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(kafka, async (_, ct) =>
            bootstrapServers = await kafka.ConnectionStringExpression.GetValueAsync(ct).ConfigureAwait(false));

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            _ => new KafkaMetadataHealthCheck(() => bootstrapServers ?? throw new InvalidOperationException($"The connection string of '{name}' is not available yet.")),
            failureStatus: default,
            tags: default));

        return builder.AddResource(kafka)
            .WithImage(PinnedImages.Kafka.Image, PinnedImages.Kafka.Tag)
            .WithImageRegistry(PinnedImages.Kafka.Registry)
            .WithEndpoint(targetPort: BrokerPort, port: port, name: KafkaBrokerResource.PrimaryEndpointName)
            .WithEndpoint(targetPort: InternalBrokerPort, name: KafkaBrokerResource.InternalEndpointName)
            .WithEnvironment("KAFKA_NODE_ID", "1")
            .WithEnvironment("CLUSTER_ID", ClusterId)
            .WithEnvironment("KAFKA_PROCESS_ROLES", "broker,controller")
            .WithEnvironment("KAFKA_CONTROLLER_QUORUM_VOTERS", ControllerVoters)
            .WithEnvironment("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
            .WithEnvironment("KAFKA_LISTENERS", Listeners)
            .WithEnvironment("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "HOST:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT")
            .WithEnvironment("KAFKA_INTER_BROKER_LISTENER_NAME", "INTERNAL")
            .WithEnvironment("KAFKA_ADVERTISED_LISTENERS", ReferenceExpression.Create(
                $"HOST://localhost:{kafka.PrimaryEndpoint.Property(EndpointProperty.Port)},INTERNAL://{kafka.InternalEndpoint.Property(EndpointProperty.HostAndPort)}"))
            // One broker: every internal topic has one replica, and consumer groups start without delay.
            .WithEnvironment("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
            .WithEnvironment("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
            .WithEnvironment("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
            .WithEnvironment("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
            .WithEnvironment("KAFKA_LOG_DIRS", DataMountPath)
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>Keeps the broker's logs (topics, offsets) in a named volume.</summary>
    /// <param name="builder">The Kafka resource builder.</param>
    /// <param name="name">The volume name; generated when not given.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<KafkaBrokerResource> WithDataVolume(this IResourceBuilder<KafkaBrokerResource> builder, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithVolume(name ?? VolumeNameGenerator.Generate(builder, "data"), DataMountPath);
    }

    /// <summary>
    /// Adds a kafka-exporter pointed at the broker's internal listener. It starts once the broker is healthy (it exits
    /// when no broker answers at its start); <c>/metrics</c> is its health check.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="kafka">The broker.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<KafkaExporterResource> AddKafkaExporter(this IDistributedApplicationBuilder builder, [ResourceName] string name, IResourceBuilder<KafkaBrokerResource> kafka)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(kafka);

        return builder.AddResource(new KafkaExporterResource(name))
            .WithImage(PinnedImages.KafkaExporter.Image, PinnedImages.KafkaExporter.Tag)
            .WithImageRegistry(PinnedImages.KafkaExporter.Registry)
            .WithHttpEndpoint(targetPort: KafkaExporterResource.HttpPort, name: KafkaExporterResource.PrimaryEndpointName)
            .WithArgs(context => context.Args.Add(ReferenceExpression.Create($"--kafka.server={kafka.Resource.InternalEndpoint.Property(EndpointProperty.HostAndPort)}")))
            .WithHttpHealthCheck("/metrics", endpointName: KafkaExporterResource.PrimaryEndpointName)
            .WithReferenceRelationship(kafka.Resource)
            .WaitFor(kafka);
    }

    /// <summary>Healthy when the broker answers a metadata request within five seconds.</summary>
    private sealed class KafkaMetadataHealthCheck(Func<string> bootstrapServers) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers(), SocketTimeoutMs = 5000 }).Build();
                var metadata = admin.GetMetadata(TimeSpan.FromSeconds(5));
                return Task.FromResult(metadata.Brokers.Count > 0
                    ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s)")
                    : HealthCheckResult.Unhealthy("The cluster reports no broker."));
            }
            catch (KafkaException ex)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy(ex.Message, ex));
            }
        }
    }
}
