using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Model;

public class ImageSourceModelTests
{
    private static readonly string[] s_notBuildableHere = ["airflow", "grafana", "kafka", "kafka-exporter", "statsd-exporter"];

    [Fact]
    public async Task Every_official_image_is_pinned_to_an_explicit_version()
    {
        await using var app = await AppHostModel.BuildAsync();

        foreach (var container in app.Model.Resources.OfType<ContainerResource>())
        {
            var image = AppHostModel.ImageOf(container);
            Assert.DoesNotContain(":latest", image);
            Assert.Matches(@":v?\d+(\.\d+)*$", image);
        }
    }

    [Fact]
    public async Task With_local_images_every_container_runs_a_local_image()
    {
        await using var app = await AppHostModel.BuildAsync("Monitoring:ImageSource=Local", "Monitoring:ProbesHosting=Container");

        Assert.All(app.Model.Resources.OfType<ContainerResource>(), c => Assert.StartsWith("localhost/monitoring/", AppHostModel.ImageOf(c)));
    }

    [Fact]
    public async Task With_local_images_what_debian_cannot_supply_is_off_and_shown_as_unavailable()
    {
        await using var app = await AppHostModel.BuildAsync("Monitoring:ImageSource=Local");

        foreach (var name in s_notBuildableHere)
        {
            var placeholder = app.Resource<UnavailableComponentResource>(name);
            Assert.Contains("not packaged by Debian", placeholder.Reason);
        }

        Assert.DoesNotContain(app.Model.Resources, r => r.Name.StartsWith("airflow-", StringComparison.Ordinal) && r.Name != "airflow-db");
        // Their jobs scrape only Probes' synthetic stand-ins.
        Assert.All(app.Resource<PrometheusResource>("prometheus").Annotations.OfType<IScrapeTargetSource>().Where(t => t.Job is "kafka" or "airflow"),
            t => Assert.Equal("probes", t.Owner.Name));
    }

    [Fact]
    public async Task A_component_switched_off_is_not_reported_unavailable()
    {
        await using var app = await AppHostModel.BuildAsync("Monitoring:ImageSource=Local", "Monitoring:Components:grafana=false");

        Assert.False(app.Has("grafana"));
    }
}
