using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Model;

public class PushgatewayModelTests
{
    [Fact]
    public async Task Runs_the_pinned_official_image()
    {
        await using var official = await AppHostModel.BuildAsync();

        Assert.Equal(PinnedImages.Of("pushgateway").OfficialReference, AppHostModel.ImageOf(official.Resource<PushgatewayResource>("pushgateway")));
    }

    [Fact]
    public async Task Keeps_the_pushes_in_a_volume_is_scraped_under_its_job_and_is_healthy_when_ready()
    {
        await using var app = await AppHostModel.BuildAsync();
        var pushgateway = app.Resource<PushgatewayResource>("pushgateway");
        var prometheus = app.Resource<PrometheusResource>("prometheus");

        Assert.Equal(9091, AppHostModel.EndpointOf(pushgateway).TargetPort);
        Assert.Single(pushgateway.Annotations.OfType<HealthCheckAnnotation>());
        Assert.False(AppHostModel.MountsOf(pushgateway)["/pushgateway"].IsReadOnly);
        Assert.Contains("--persistence.file=/pushgateway/metrics", await app.ArgsOfAsync(pushgateway));
        Assert.Equal("pushgateway", Assert.Single(prometheus.Annotations.OfType<ScrapeTargetAnnotation>(), t => t.Endpoint.Resource == pushgateway).Job);
        Assert.Contains("pushgateway", AppHostModel.WaitsFor(prometheus));
    }

    [Fact]
    public async Task Can_be_switched_off()
    {
        await using var app = await AppHostModel.BuildAsync("Monitoring:Components:pushgateway=false");

        Assert.False(app.Has("pushgateway"));
        Assert.DoesNotContain(app.Resource<PrometheusResource>("prometheus").Annotations.OfType<ScrapeTargetAnnotation>(), t => t.Job == "pushgateway");
    }
}
