
namespace Monitoring.AppHost;

/// <summary>Adds Alertmanager to the application model and wires its receivers.</summary>
public static partial class AlertmanagerBuilderExtensions
{
    private const string ConfigMountPath = "/etc/alertmanager";
    private const string ConfigFileName = "alertmanager.yml";
    private const string DataMountPath = "/alertmanager";

    /// <summary>
    /// Adds an Alertmanager container (single instance: clustering off). It runs the checked-in configuration with the
    /// webhook URLs of this run wired in (see <see cref="WithWebhookReceiver{T}"/>); readiness (<c>/-/ready</c>) is the health check.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="configDirectory">The folder holding <c>alertmanager.yml</c> (and any templates).</param>
    /// <param name="port">The host port of the UI and API; random when not given.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<AlertmanagerResource> AddAlertmanager(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, string configDirectory, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(configDirectory);

        var resource = new AlertmanagerResource(name, GeneratedFiles.ReserveDirectory(builder, name))
        {
            ConfigDirectory = Path.GetFullPath(configDirectory),
        };
        builder.Eventing.Subscribe<BeforeStartEvent>((_, _) =>
        {
            AlertmanagerConfigFile.Load(resource.ConfigFilePath());
            return Task.CompletedTask;
        });

        return builder.AddResource(resource)
            .WithImage(PinnedImages.Alertmanager.Image, PinnedImages.Alertmanager.Tag)
            .WithImageRegistry(PinnedImages.Alertmanager.Registry)
            .WithHttpEndpoint(port: port, targetPort: AlertmanagerResource.HttpPort, name: AlertmanagerResource.PrimaryEndpointName)
            .WithBindMount(resource.ConfigDirectory, ConfigMountPath, isReadOnly: true)
            .WithConfigCheck("amtool", ConfigFileName, ["check-config", $"{ConfigMountPath}/{ConfigFileName}"], resource.ConfigDirectory, ConfigMountPath)
            .WithBindMount(resource.GeneratedDirectory, GeneratedFiles.ContainerPath, isReadOnly: true)
            .WithArgs(
                $"--config.file={GeneratedFiles.ContainerPath}/{ConfigFileName}",
                $"--storage.path={DataMountPath}",
                // One instance: no gossip port, and readiness does not wait for a cluster to settle.
                "--cluster.listen-address=")
            .WithHttpHealthCheck("/-/ready", endpointName: AlertmanagerResource.PrimaryEndpointName)
            .WithUrlForEndpoint(AlertmanagerResource.PrimaryEndpointName, url => url.DisplayText = "Alertmanager")
            .OnBeforeResourceStarted((alertmanager, e, ct) => WriteConfigAsync(alertmanager, e.Services, ct));
    }

    /// <summary>
    /// Lowers every route's <c>group_wait</c> and <c>group_interval</c> (Alertmanager's own defaults included) to at
    /// most <paramref name="maxInterval"/> in the run's copy of <c>alertmanager.yml</c>. End-to-end tests use this so a
    /// notification, and the resolution that follows it, arrive within seconds; the file's timers are what users get.
    /// <see langword="null"/> leaves them as written.
    /// </summary>
    /// <param name="builder">The Alertmanager resource builder.</param>
    /// <param name="maxInterval">The longest wait, a Prometheus duration, or <see langword="null"/>.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<AlertmanagerResource> WithMaxGroupInterval(this IResourceBuilder<AlertmanagerResource> builder, string? maxInterval)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (maxInterval is not null && !MonitoringOptions.IsPrometheusDuration(maxInterval))
        {
            throw new ArgumentException($"'{maxInterval}' is not a Prometheus duration such as 5s or 1m.", nameof(maxInterval));
        }

        builder.Resource.MaxGroupInterval = maxInterval;
        return builder;
    }

    /// <summary>Keeps silences and the notification log in a named volume, so they survive restarts.</summary>
    /// <param name="builder">The Alertmanager resource builder.</param>
    /// <param name="name">The volume name; generated from the application and resource names when not given.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<AlertmanagerResource> WithDataVolume(this IResourceBuilder<AlertmanagerResource> builder, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithVolume(name ?? VolumeNameGenerator.Generate(builder, "data"), DataMountPath);
    }

    /// <summary>
    /// Points a receiver of <c>alertmanager.yml</c> at a webhook served by another resource; the URL is resolved as
    /// Alertmanager's container sees that resource, so random ports work.
    /// </summary>
    /// <typeparam name="T">The webhook owner's resource type.</typeparam>
    /// <param name="builder">The Alertmanager resource builder.</param>
    /// <param name="receiver">The receiver's name in <c>alertmanager.yml</c>; it must have a <c>webhook_configs</c> entry.</param>
    /// <param name="target">The resource serving the webhook.</param>
    /// <param name="path">The webhook's path.</param>
    /// <param name="endpointName">The target's endpoint.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<AlertmanagerResource> WithWebhookReceiver<T>(
        this IResourceBuilder<AlertmanagerResource> builder, string receiver, IResourceBuilder<T> target, string path, string endpointName = "http")
        where T : IResourceWithEndpoints
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(receiver);
        ArgumentNullException.ThrowIfNull(target);

        var endpoint = ContainerNetworkReference.Reference(builder, target, endpointName, $"WEBHOOK_{receiver}_URL", path);
        return builder.WithAnnotation(new WebhookReceiverAnnotation(receiver, endpoint, path));
    }

    /// <summary>
    /// Adds the receivers whose parameters are set in configuration: Slack (<c>alertmanager-slack-webhook-url</c>, secret;
    /// optional <c>alertmanager-slack-channel</c>), e-mail (<c>alertmanager-email-to</c>, <c>alertmanager-smtp-smarthost</c>,
    /// <c>alertmanager-smtp-from</c>, optional <c>alertmanager-smtp-username</c> and secret <c>alertmanager-smtp-password</c>)
    /// and a generic webhook (<c>alertmanager-webhook-url</c>, secret). Each is off unless its first parameter is set;
    /// each one that is on gets, besides the Probes webhook, the alerts of the severities its
    /// <c>alertmanager-{slack|email|webhook}-severities</c> parameter lists (comma-separated; <c>critical,warning</c> for
    /// Slack and the webhook, <c>critical</c> for e-mail, unless set), the Watchdog aside.
    /// </summary>
    /// <param name="builder">The Alertmanager resource builder.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<AlertmanagerResource> WithConfiguredReceivers(this IResourceBuilder<AlertmanagerResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.ApplicationBuilder;
        bool IsSet(string name) => !string.IsNullOrWhiteSpace(app.Configuration[$"Parameters:{name}"]);
        ParameterResource Parameter(string name, bool secret) => app.AddParameter(name, secret).Resource;
        ParameterResource Severities(ExternalReceiverKind kind, string defaults) =>
            app.AddParameter($"alertmanager-{kind.ToString().ToLowerInvariant()}-severities", new ValueParameterDefault(defaults))
                .WithDescription($"The severities sent to the {kind} receiver, comma-separated (critical, warning).").Resource;

        if (IsSet("alertmanager-slack-webhook-url"))
        {
            var settings = new Dictionary<string, ParameterResource> { ["api_url"] = Parameter("alertmanager-slack-webhook-url", secret: true) };
            if (IsSet("alertmanager-slack-channel"))
            {
                settings["channel"] = Parameter("alertmanager-slack-channel", secret: false);
            }

            builder.WithAnnotation(new ExternalReceiverAnnotation(ExternalReceiverKind.Slack, settings, Severities(ExternalReceiverKind.Slack, "critical,warning")));
        }

        if (IsSet("alertmanager-email-to"))
        {
            var settings = new Dictionary<string, ParameterResource>
            {
                ["to"] = Parameter("alertmanager-email-to", secret: false),
                ["smarthost"] = Parameter("alertmanager-smtp-smarthost", secret: false),
                ["from"] = Parameter("alertmanager-smtp-from", secret: false),
            };
            if (IsSet("alertmanager-smtp-username"))
            {
                settings["auth_username"] = Parameter("alertmanager-smtp-username", secret: false);
                settings["auth_password"] = Parameter("alertmanager-smtp-password", secret: true);
            }

            builder.WithAnnotation(new ExternalReceiverAnnotation(ExternalReceiverKind.Email, settings, Severities(ExternalReceiverKind.Email, "critical")));
        }

        if (IsSet("alertmanager-webhook-url"))
        {
            builder.WithAnnotation(new ExternalReceiverAnnotation(ExternalReceiverKind.Webhook,
                new Dictionary<string, ParameterResource> { ["url"] = Parameter("alertmanager-webhook-url", secret: true) },
                Severities(ExternalReceiverKind.Webhook, "critical,warning")));
        }

        return builder;
    }

    internal static string ConfigFilePath(this AlertmanagerResource resource) => Path.Combine(resource.ConfigDirectory, ConfigFileName);

    /// <summary>
    /// Before Alertmanager starts: the run's configuration, in which each wired webhook reads its URL from
    /// <c>/aspire/webhooks/{receiver}.url</c>. The URL files are written once the addresses are allocated (a host
    /// process's, through Aspire's container tunnel, only while the container is created); Alertmanager reads the file
    /// at each notification, so none is missed.
    /// </summary>
    private static async Task WriteConfigAsync(AlertmanagerResource alertmanager, IServiceProvider services, CancellationToken cancellationToken)
    {
        var webhooks = alertmanager.Annotations.OfType<WebhookReceiverAnnotation>().ToList();
        var urlFiles = webhooks.ToDictionary(w => w.Receiver, w => $"{GeneratedFiles.ContainerPath}/{WebhookUrlFile(w.Receiver)}", StringComparer.Ordinal);

        var receivers = new List<ExternalReceiver>();
        foreach (var receiver in alertmanager.Annotations.OfType<ExternalReceiverAnnotation>())
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (field, parameter) in receiver.Settings)
            {
                values[field] = await parameter.GetValueAsync(cancellationToken).ConfigureAwait(false) ?? "";
            }

            var severities = await receiver.Severities.GetValueAsync(cancellationToken).ConfigureAwait(false) ?? "";
            if (!SeverityList().IsMatch(severities))
            {
                throw new DistributedApplicationException(
                    $"Parameter '{receiver.Severities.Name}' is '{severities}': it must list severities separated by commas, such as critical,warning.");
            }

            receivers.Add(new(receiver.Kind, values, severities.Split(',')));
        }

        var config = AlertmanagerConfigFile.Load(alertmanager.ConfigFilePath());
        await GeneratedFiles.WriteAtomicallyAsync(
            Path.Combine(alertmanager.GeneratedDirectory, ConfigFileName), config.Render(urlFiles, receivers, alertmanager.MaxGroupInterval), cancellationToken).ConfigureAwait(false);

        foreach (var webhook in webhooks)
        {
            GeneratedFiles.WriteWhenAllocated(services, alertmanager, $"the webhook URL of receiver '{webhook.Receiver}'", async ct =>
            {
                var context = new ValueProviderContext { Caller = alertmanager, Network = KnownNetworkIdentifiers.DefaultAspireContainerNetwork };
                var url = await webhook.Endpoint.GetValueAsync(context, ct).ConfigureAwait(false) + webhook.Path;
                await GeneratedFiles.WriteAtomicallyAsync(Path.Combine(alertmanager.GeneratedDirectory, WebhookUrlFile(webhook.Receiver)), url, ct).ConfigureAwait(false);
            });
        }
    }

    private static string WebhookUrlFile(string receiver) => $"webhooks/{receiver}.url";

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z]+(,[a-z]+)*$")]
    private static partial System.Text.RegularExpressions.Regex SeverityList();
}
