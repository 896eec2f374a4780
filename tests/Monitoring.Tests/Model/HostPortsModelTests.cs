using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Model;

/// <summary><c>Monitoring:Ports</c>: fixed host ports by resource name, checked when the model is built.</summary>
public class HostPortsModelTests
{
    [Fact]
    public async Task A_fixed_port_lands_on_the_resources_primary_endpoint()
    {
        await using var app = await AppHostModel.BuildAsync("Monitoring:Ports:prometheus=19090", "Monitoring:Ports:Alertmanager=19093");

        Assert.Equal(19090, Endpoint(app, "prometheus").Port);
        Assert.Equal(19093, Endpoint(app, "alertmanager").Port);
        Assert.Null(Endpoint(app, "node-exporter").Port);
    }

    [Fact]
    public async Task A_port_for_a_component_that_cannot_run_here_is_ignored()
    {
        await using var app = await AppHostModel.BuildWithoutImagesAsync(["grafana"], "Monitoring:Ports:grafana=13000");

        Assert.IsType<UnavailableComponentResource>(app.Model.Resources.Single(r => r.Name == "grafana"));
    }

    [Theory]
    [InlineData("Monitoring:Ports:prometeus=9090", "'Monitoring:Ports:prometeus' names no resource with an endpoint")]
    [InlineData("Monitoring:Ports:prometheus=70000", "'Monitoring:Ports:prometheus' is 70000: it must be a port number from 1 to 65535")]
    [InlineData("Monitoring:Ports:prometheus=0", "'Monitoring:Ports:prometheus' is 0")]
    public async Task A_bad_port_setting_stops_the_build_naming_the_setting(string setting, string expected)
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => AppHostModel.BuildAsync(setting));

        Assert.Contains(expected, (ex.InnerException ?? ex).Message);
    }

    [Fact]
    public async Task Two_resources_on_one_port_stop_the_build()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => AppHostModel.BuildAsync("Monitoring:Ports:prometheus=19090", "Monitoring:Ports:alertmanager=19090"));

        Assert.Contains("are both 19090", (ex.InnerException ?? ex).Message);
    }

    private static EndpointAnnotation Endpoint(AppHostModel app, string resource) =>
        app.Resource<IResourceWithEndpoints>(resource).Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http");
}
