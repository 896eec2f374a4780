using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Model;

public class AlertmanagerModelTests
{
    [Fact]
    public async Task Runs_the_pinned_official_image()
    {
        await using var official = await AppHostModel.BuildAsync();

        Assert.Equal(PinnedImages.Of("alertmanager").OfficialReference, AppHostModel.ImageOf(official.Resource<AlertmanagerResource>("alertmanager")));
    }

    [Fact]
    public async Task Runs_the_rendered_config_as_a_single_instance_with_a_data_volume()
    {
        await using var app = await AppHostModel.BuildAsync();
        var alertmanager = app.Resource<AlertmanagerResource>("alertmanager");
        var args = await app.ArgsOfAsync(alertmanager);
        var mounts = AppHostModel.MountsOf(alertmanager);

        Assert.Equal(["--config.file=/aspire/alertmanager.yml", "--storage.path=/alertmanager", "--cluster.listen-address="], args);
        Assert.Equal(Repo.Path("provisioning", "alertmanager"), mounts["/etc/alertmanager"].Source);
        Assert.True(mounts["/etc/alertmanager"].IsReadOnly);
        Assert.Equal(ContainerMountType.Volume, mounts["/alertmanager"].Type);
        Assert.Equal(9093, AppHostModel.EndpointOf(alertmanager).TargetPort);
        Assert.Single(alertmanager.Annotations.OfType<HealthCheckAnnotation>());
    }

    [Fact]
    public async Task Sends_the_probes_receiver_to_the_probes_webhook_without_waiting_for_it()
    {
        await using var app = await AppHostModel.BuildAsync();
        var alertmanager = app.Resource<AlertmanagerResource>("alertmanager");

        var webhooks = alertmanager.Annotations.OfType<WebhookReceiverAnnotation>().ToList();
        Assert.Equal(["probes", "watchdog"], webhooks.Select(w => w.Receiver).Order());
        Assert.All(webhooks, w => Assert.Equal(("probes", "/alertmanager/webhook"), (w.Endpoint.Resource.Name, w.Path)));
        Assert.All(webhooks, w => Assert.Equal(KnownNetworkIdentifiers.DefaultAspireContainerNetwork, w.Endpoint.ContextNetworkID));
        // It reads the webhook's address from a file at each notification: it need not wait for Probes.
        Assert.Empty(AppHostModel.WaitsFor(alertmanager));
    }

    [Fact]
    public async Task Switching_it_off_leaves_prometheus_without_it()
    {
        await using var app = await AppHostModel.BuildAsync("Monitoring:Components:alertmanager=false");

        Assert.False(app.Has("alertmanager"));
        Assert.DoesNotContain(app.Resource<PrometheusResource>("prometheus").Annotations.OfType<ScrapeTargetAnnotation>(), t => t.Job == "alertmanager");
    }

    [Fact]
    public async Task External_receivers_are_off_unless_configured_and_their_urls_are_secret()
    {
        await using var none = await AppHostModel.BuildAsync();
        await using var some = await AppHostModel.BuildAsync(
            "Parameters:alertmanager-slack-webhook-url=https://slack.invalid/hook", "Parameters:alertmanager-webhook-url=https://hook.invalid/");

        Assert.Empty(none.Resource<AlertmanagerResource>("alertmanager").Annotations.OfType<ExternalReceiverAnnotation>());
        var receivers = some.Resource<AlertmanagerResource>("alertmanager").Annotations.OfType<ExternalReceiverAnnotation>().ToList();
        Assert.Equal([ExternalReceiverKind.Slack, ExternalReceiverKind.Webhook], receivers.Select(r => r.Kind));
        Assert.True(receivers[0].Settings["api_url"].Secret);
        Assert.True(receivers[1].Settings["url"].Secret);
    }

    [Fact]
    public async Task Each_external_receiver_gets_the_severities_its_parameter_chooses_or_its_default()
    {
        await using var app = await AppHostModel.BuildAsync(
            "Parameters:alertmanager-slack-webhook-url=https://slack.invalid/hook", "Parameters:alertmanager-slack-severities=critical",
            "Parameters:alertmanager-email-to=ops@example.invalid", "Parameters:alertmanager-smtp-smarthost=smtp.example.invalid:587",
            "Parameters:alertmanager-smtp-from=am@example.invalid",
            "Parameters:alertmanager-webhook-url=https://hook.invalid/", "Parameters:alertmanager-webhook-severities=warning");

        var receivers = app.Resource<AlertmanagerResource>("alertmanager").Annotations.OfType<ExternalReceiverAnnotation>().ToDictionary(r => r.Kind);
        Assert.Equal("critical", await receivers[ExternalReceiverKind.Slack].Severities.GetValueAsync(TestContext.Current.CancellationToken));
        // E-mail, its parameter unset: critical only.
        Assert.Equal("critical", await receivers[ExternalReceiverKind.Email].Severities.GetValueAsync(TestContext.Current.CancellationToken));
        Assert.Equal("warning", await receivers[ExternalReceiverKind.Webhook].Severities.GetValueAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Its_timers_are_the_files_unless_a_max_group_interval_is_set()
    {
        await using var asWritten = await AppHostModel.BuildAsync();
        await using var capped = await AppHostModel.BuildAsync("Monitoring:MaxGroupInterval=5s");

        Assert.Null(asWritten.Resource<AlertmanagerResource>("alertmanager").MaxGroupInterval);
        Assert.Equal("5s", capped.Resource<AlertmanagerResource>("alertmanager").MaxGroupInterval);
    }

    [Fact]
    public async Task An_invalid_max_group_interval_is_rejected_naming_the_setting()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => AppHostModel.BuildAsync("Monitoring:MaxGroupInterval=quickly"));

        Assert.Contains("Monitoring:MaxGroupInterval", (ex.InnerException ?? ex).Message);
    }
}
