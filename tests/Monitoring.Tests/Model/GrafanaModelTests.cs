using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Model;

public class GrafanaModelTests
{
    [Fact]
    public async Task Runs_the_pinned_official_image_with_provisioning_mounted_read_only_and_a_data_volume()
    {
        await using var app = await AppHostModel.BuildAsync();
        var grafana = app.Resource<GrafanaResource>("grafana");
        var mounts = AppHostModel.MountsOf(grafana);

        Assert.Equal("docker.io/grafana/grafana:12.2.1", AppHostModel.ImageOf(grafana));
        Assert.Equal(Repo.Path("provisioning", "grafana", "provisioning"), mounts["/etc/grafana/provisioning"].Source);
        Assert.True(mounts["/etc/grafana/provisioning"].IsReadOnly);
        Assert.True(File.Exists(Repo.Path("provisioning", "grafana", "provisioning", "datasources", "prometheus.yml")));
        Assert.Equal(Repo.Path("provisioning", "grafana", "dashboards"), mounts["/etc/grafana/dashboards"].Source);
        Assert.Equal(ContainerMountType.Volume, mounts["/var/lib/grafana"].Type);
        Assert.Equal(3000, AppHostModel.EndpointOf(grafana).TargetPort);
        Assert.Single(grafana.Annotations.OfType<HealthCheckAnnotation>());
        Assert.Equal(["prometheus"], AppHostModel.WaitsFor(grafana));
    }

    [Fact]
    public async Task Is_secured_by_a_secret_parameter_never_admin_admin_and_anonymous_access_is_off()
    {
        await using var app = await AppHostModel.BuildAsync();
        var grafana = app.Resource<GrafanaResource>("grafana");
        var environment = await app.EnvironmentOfAsync(grafana);

        Assert.Same(grafana.AdminPassword, environment["GF_SECURITY_ADMIN_PASSWORD"]);
        Assert.True(grafana.AdminPassword.Secret);
        Assert.Equal("grafana-admin-password", grafana.AdminPassword.Name);
        Assert.Equal("false", environment["GF_AUTH_ANONYMOUS_ENABLED"]);
        Assert.Equal("false", environment["GF_USERS_ALLOW_SIGN_UP"]);
        Assert.Same(app.Resource<PrometheusResource>("prometheus").PrimaryEndpoint, environment["PROMETHEUS_URL"]);
    }

    [Fact]
    public async Task Applies_a_changed_password_on_every_start_through_grafanas_cli()
    {
        await using var app = await AppHostModel.BuildAsync();
        var grafana = app.Resource<GrafanaResource>("grafana");
        var args = await app.ArgsOfAsync(grafana);

        Assert.Equal("/bin/sh", grafana.Entrypoint);
        Assert.Equal("-c", args[0]);
        Assert.Contains("admin reset-admin-password \"$GF_SECURITY_ADMIN_PASSWORD\"", args[1]);
        Assert.EndsWith("exec /run.sh", args[1]);
    }

    [Fact]
    public void The_datasource_has_a_fixed_uid_and_takes_prometheus_url_from_the_environment()
    {
        var text = File.ReadAllText(Repo.Path("provisioning", "grafana", "provisioning", "datasources", "prometheus.yml"));

        Assert.Contains("uid: prometheus", text);
        Assert.Contains("url: ${PROMETHEUS_URL}", text);
    }
}
