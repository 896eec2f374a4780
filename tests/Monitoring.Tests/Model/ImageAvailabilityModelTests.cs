using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Model;

/// <summary>
/// One image reference per component, the official one; what runs is decided by what the container runtime holds or
/// can pull (here answered by a runtime that exists only in the tests: <see cref="AppHostModel.BuildWithoutImagesAsync"/>).
/// </summary>
public class ImageAvailabilityModelTests
{
    [Fact]
    public async Task Every_official_image_is_pinned_to_an_explicit_version()
    {
        await using var app = await AppHostModel.BuildAsync();

        foreach (var container in app.Model.Resources.OfType<ContainerResource>().Where(c => c.Name != "probes"))
        {
            var image = AppHostModel.ImageOf(container);
            Assert.DoesNotContain(":latest", image);
            Assert.Matches(@":v?\d+(\.\d+)*$", image);
        }
    }

    [Fact]
    public async Task A_component_whose_image_can_be_had_neither_way_is_off_and_shown_as_not_available_with_the_runtimes_answer()
    {
        await using var app = await AppHostModel.BuildWithoutImagesAsync(TestStack.FullGraphOnly);

        foreach (var name in TestStack.FullGraphOnly)
        {
            var placeholder = app.Resource<UnavailableComponentResource>(name);
            Assert.Contains($"{PinnedImages.Of(name).OfficialReference} is not on this machine", placeholder.Reason);
            Assert.Contains("no registry answers (a model test)", placeholder.Reason);
            Assert.Contains($"Monitoring:Components:{name}=false", placeholder.Reason);
        }

        Assert.DoesNotContain(app.Model.Resources, r => r.Name.StartsWith("airflow-", StringComparison.Ordinal) && r.Name != "airflow-db");
        // Their jobs scrape only Probes' synthetic stand-ins.
        Assert.All(app.Resource<PrometheusResource>("prometheus").Annotations.OfType<IScrapeTargetSource>().Where(t => t.Job is "kafka" or "airflow"),
            t => Assert.Equal("probes", t.Owner.Name));
    }

    [Fact]
    public async Task Every_other_component_runs_its_official_image_whatever_the_others_lack()
    {
        await using var app = await AppHostModel.BuildWithoutImagesAsync(["grafana"]);

        Assert.IsType<UnavailableComponentResource>(app.Model.Resources.Single(r => r.Name == "grafana"));
        Assert.All(app.Model.Resources.OfType<ContainerResource>().Where(c => c.Name != "probes"),
            c => Assert.Contains(AppHostModel.ImageOf(c), PinnedImages.All.Select(p => p.OfficialReference)));
        Assert.True(app.Has("kafka"));
    }

    [Fact]
    public async Task A_component_switched_off_is_not_reported_unavailable()
    {
        await using var app = await AppHostModel.BuildWithoutImagesAsync(["grafana"], "Monitoring:Components:grafana=false");

        Assert.False(app.Has("grafana"));
    }
}
