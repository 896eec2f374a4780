using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Model;

public class KafkaModelTests
{
    [Fact]
    public async Task Runs_a_single_kraft_node_of_the_pinned_official_image_with_a_data_volume()
    {
        await using var app = await AppHostModel.BuildAsync();
        var kafka = app.Resource<KafkaBrokerResource>("kafka");
        var environment = await app.EnvironmentOfAsync(kafka);

        Assert.Equal("docker.io/apache/kafka:4.1.0", AppHostModel.ImageOf(kafka));
        Assert.Equal("broker,controller", environment["KAFKA_PROCESS_ROLES"]);
        Assert.Equal("1", environment["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"]);
        Assert.Equal(ContainerMountType.Volume, AppHostModel.MountsOf(kafka)["/var/lib/kafka/data"].Type);
        Assert.Single(kafka.Annotations.OfType<HealthCheckAnnotation>(), h => h.Key == "kafka_check");
    }

    [Fact]
    public async Task Has_a_host_listener_for_the_connection_string_and_an_internal_one_for_containers()
    {
        await using var app = await AppHostModel.BuildAsync();
        var kafka = app.Resource<KafkaBrokerResource>("kafka");
        var environment = await app.EnvironmentOfAsync(kafka);

        Assert.Equal(9092, AppHostModel.EndpointOf(kafka, "tcp").TargetPort);
        Assert.Equal(9093, AppHostModel.EndpointOf(kafka, "internal").TargetPort);
        Assert.Contains("HOST://0.0.0.0:9092", (string)environment["KAFKA_LISTENERS"]);
        Assert.Contains("INTERNAL://0.0.0.0:9093", (string)environment["KAFKA_LISTENERS"]);
        var advertised = Assert.IsType<ReferenceExpression>(environment["KAFKA_ADVERTISED_LISTENERS"]);
        Assert.StartsWith("HOST://localhost:", advertised.ValueExpression);
        Assert.Contains("INTERNAL://", advertised.ValueExpression);
        Assert.Equal(KnownNetworkIdentifiers.LocalhostNetwork, kafka.PrimaryEndpoint.ContextNetworkID);
        Assert.Equal(KnownNetworkIdentifiers.DefaultAspireContainerNetwork, kafka.InternalEndpoint.ContextNetworkID);
    }

    [Fact]
    public async Task The_exporter_reads_the_internal_listener_starts_after_the_broker_and_is_scraped_as_kafka()
    {
        await using var app = await AppHostModel.BuildAsync();
        var exporter = app.Resource<KafkaExporterResource>("kafka-exporter");
        var args = await AppHostModel.RawArgsOfAsync(exporter);

        Assert.Equal("docker.io/danielqsj/kafka-exporter:v1.9.0", AppHostModel.ImageOf(exporter));
        Assert.Equal(["kafka"], AppHostModel.WaitsFor(exporter));
        Assert.Equal("--kafka.server={kafka.bindings.internal.host}:{kafka.bindings.internal.port}", Assert.Single(args));
        Assert.Equal(9308, AppHostModel.EndpointOf(exporter).TargetPort);
        Assert.Contains(app.Resource<PrometheusResource>("prometheus").Annotations.OfType<ScrapeTargetAnnotation>(), t => t.Job == "kafka" && t.Owner == exporter);
    }
}
