using System.Text.Json;

namespace Monitoring.AppHost;

/// <summary>Adds Prometheus to the application model and wires what it scrapes.</summary>
public static class PrometheusBuilderExtensions
{
    private const string ConfigMountPath = "/etc/prometheus";
    private const string ConfigFileName = "prometheus.yml";
    private const string DataMountPath = "/prometheus";
    private const string DefaultRetention = "15d";
    private const string RulesDirectory = GeneratedFiles.ContainerPath + "/rules";

    /// <summary>The name of the dashboard command that reloads Prometheus' configuration.</summary>
    public const string ReloadCommandName = "reload-configuration";
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    /// <summary>
    /// Adds a Prometheus container that reads the checked-in configuration folder (mounted read-only at
    /// <c>/etc/prometheus</c>) and scrapes the targets the AppHost writes from the model to <c>/aspire/targets/</c>.
    /// The lifecycle API (<c>/-/reload</c>) is on; readiness (<c>/-/ready</c>) is the health check.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="configDirectory">The folder holding <c>prometheus.yml</c> and its rule files.</param>
    /// <param name="retention">How long samples are kept (<c>--storage.tsdb.retention.time</c>); a parameter named
    /// <c>{name}-retention</c> with default <c>15d</c> when not given.</param>
    /// <param name="port">The host port of the UI and API; random when not given.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<PrometheusResource> AddPrometheus(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        string configDirectory,
        IResourceBuilder<ParameterResource>? retention = null,
        int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(configDirectory);

        retention ??= builder.AddParameter($"{name}-retention", new ValueParameterDefault(DefaultRetention))
            .WithDescription("How long Prometheus keeps samples (--storage.tsdb.retention.time), e.g. 15d or 12h.");
        var resource = new PrometheusResource(name, GeneratedFiles.ReserveDirectory(builder, name))
        {
            ConfigDirectory = Path.GetFullPath(configDirectory),
        };

        builder.Eventing.Subscribe<BeforeStartEvent>(async (_, ct) =>
        {
            var value = await retention.Resource.GetValueAsync(ct).ConfigureAwait(false);
            if (!MonitoringOptions.IsPrometheusDuration(value))
            {
                throw new DistributedApplicationException(
                    $"Parameter '{retention.Resource.Name}' is '{value}': it must be a Prometheus duration such as 15d or 12h.");
            }

            var config = PrometheusConfigFile.Load(resource.ConfigFilePath());
            foreach (var ruleFile in config.RuleFiles(ConfigMountPath, resource.ConfigDirectory))
            {
                ProvisioningValidation.CheckYaml(ruleFile.OnHost);
            }

            // Before anything starts: every resource's scrape targets are known by now.
            CheckEveryJobIsRead(resource, config);
        });

        return builder.AddResource(resource)
            .WithImage(PinnedImages.Prometheus.Image, PinnedImages.Prometheus.Tag)
            .WithImageRegistry(PinnedImages.Prometheus.Registry)
            .WithHttpEndpoint(port: port, targetPort: PrometheusResource.HttpPort, name: PrometheusResource.PrimaryEndpointName)
            .WithBindMount(resource.ConfigDirectory, ConfigMountPath, isReadOnly: true)
            .WithConfigCheck("promtool", ConfigFileName, ["check", "config", $"{ConfigMountPath}/{ConfigFileName}"], resource.ConfigDirectory, ConfigMountPath)
            .WithBindMount(resource.GeneratedDirectory, GeneratedFiles.ContainerPath, isReadOnly: true)
            .WithArgs(context =>
            {
                context.Args.Add($"--config.file={ConfigFileInContainer(resource)}");
                context.Args.Add($"--storage.tsdb.path={DataMountPath}");
                context.Args.Add(ReferenceExpression.Create($"--storage.tsdb.retention.time={retention.Resource}"));
                context.Args.Add("--web.enable-lifecycle");
                if (resource.AlertResendDelay is { } resendDelay)
                {
                    context.Args.Add($"--rules.alert.resend-delay={resendDelay}");
                }
            })
            .WithHttpHealthCheck("/-/ready", endpointName: PrometheusResource.PrimaryEndpointName)
            .WithUrlForEndpoint(PrometheusResource.PrimaryEndpointName, url => url.DisplayText = "Prometheus")
            .WithUrl(ReferenceExpression.Create($"{resource.PrimaryEndpoint}/alerts"), "Prometheus alerts")
            .WithHttpCommand("/-/reload", "Reload configuration", commandName: ReloadCommandName, commandOptions: new HttpCommandOptions
            {
                Method = HttpMethod.Post,
                Description = "Re-writes the scrape targets and reloads prometheus.yml and the rule files (POST /-/reload).",
                IconName = "ArrowClockwise",
                PrepareRequest = async context =>
                {
                    await WriteConfigAsync(resource, context.CancellationToken).ConfigureAwait(false);
                    foreach (var job in resource.Annotations.OfType<IScrapeTargetSource>().Select(s => s.Job).Distinct(StringComparer.Ordinal))
                    {
                        await WriteTargetsAsync(resource, job, context.CancellationToken).ConfigureAwait(false);
                    }
                },
            })
            .OnBeforeResourceStarted(async (prometheus, e, ct) =>
            {
                await WriteConfigAsync(prometheus, ct).ConfigureAwait(false);
                WriteTargetsWhenAllocated(prometheus, e.Services);
            });
    }

    /// <summary>Keeps the samples in a named volume, so they survive restarts of the container and of the AppHost.</summary>
    /// <param name="builder">The Prometheus resource builder.</param>
    /// <param name="name">The volume name; generated from the application and resource names when not given.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<PrometheusResource> WithDataVolume(this IResourceBuilder<PrometheusResource> builder, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithVolume(name ?? VolumeNameGenerator.Generate(builder, "data"), DataMountPath);
    }

    /// <summary>
    /// Runs Prometheus with other global scrape and evaluation intervals than the checked-in file's; the AppHost then
    /// writes a copy of the file with those intervals and points Prometheus at it. Tests use this to fire alerts sooner.
    /// </summary>
    /// <param name="builder">The Prometheus resource builder.</param>
    /// <param name="scrapeInterval">The scrape interval, a Prometheus duration.</param>
    /// <param name="evaluationInterval">The rule evaluation interval, a Prometheus duration.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<PrometheusResource> WithIntervals(
        this IResourceBuilder<PrometheusResource> builder, string scrapeInterval, string evaluationInterval)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (argument, value) in new[] { (nameof(scrapeInterval), scrapeInterval), (nameof(evaluationInterval), evaluationInterval) })
        {
            if (!MonitoringOptions.IsPrometheusDuration(value))
            {
                throw new ArgumentException($"'{value}' is not a Prometheus duration such as 15s or 1m.", argument);
            }
        }

        builder.Resource.ScrapeInterval = scrapeInterval;
        builder.Resource.EvaluationInterval = evaluationInterval;
        return builder;
    }

    /// <summary>
    /// Lowers every alert's <c>for</c> to at most <paramref name="maxFor"/>: the AppHost then runs copies of the rule
    /// files (those the configuration names under <c>/etc/prometheus</c>) in which only the longer <c>for</c>s
    /// changed. End-to-end tests use this so an alert whose <c>for</c> is 15 minutes fires within seconds; the rules'
    /// own durations are proven by the promtool unit tests. <see langword="null"/> leaves the rules as written.
    /// </summary>
    /// <param name="builder">The Prometheus resource builder.</param>
    /// <param name="maxFor">The longest <c>for</c>, a Prometheus duration, or <see langword="null"/>.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<PrometheusResource> WithMaxAlertFor(this IResourceBuilder<PrometheusResource> builder, string? maxFor)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (maxFor is not null && !MonitoringOptions.IsPrometheusDuration(maxFor))
        {
            throw new ArgumentException($"'{maxFor}' is not a Prometheus duration such as 10s or 1m.", nameof(maxFor));
        }

        builder.Resource.MaxAlertFor = maxFor;
        return builder;
    }

    /// <summary>
    /// Has Prometheus send firing alerts to Alertmanager again after <paramref name="resendDelay"/> rather than its
    /// default minute (<c>--rules.alert.resend-delay</c>); that is also how soon alerts that fired while Alertmanager
    /// was away reach it once it is back. <see langword="null"/> keeps the default. End-to-end tests shorten it.
    /// </summary>
    /// <param name="builder">The Prometheus resource builder.</param>
    /// <param name="resendDelay">A Prometheus duration, or <see langword="null"/>.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<PrometheusResource> WithAlertResendDelay(this IResourceBuilder<PrometheusResource> builder, string? resendDelay)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (resendDelay is not null && !MonitoringOptions.IsPrometheusDuration(resendDelay))
        {
            throw new ArgumentException($"'{resendDelay}' is not a Prometheus duration such as 5s or 1m.", nameof(resendDelay));
        }

        builder.Resource.AlertResendDelay = resendDelay;
        return builder;
    }

    /// <summary>
    /// Has Prometheus scrape an endpoint of another resource under a job of <c>prometheus.yml</c>. The target's
    /// address is resolved as Prometheus' container sees it (another container by its network alias, a host process
    /// through Aspire's container tunnel), so random ports work.
    /// </summary>
    /// <typeparam name="T">The target's resource type.</typeparam>
    /// <param name="builder">The Prometheus resource builder.</param>
    /// <param name="job">The job name in <c>prometheus.yml</c>; its <c>file_sd_configs</c> reads <c>/aspire/targets/{job}.json</c>.</param>
    /// <param name="target">The scraped resource.</param>
    /// <param name="endpointName">The scraped endpoint of the target.</param>
    /// <param name="metricsPath">The path of the metrics.</param>
    /// <param name="labels">Labels Prometheus puts on every series of the target, <c>up</c> included.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<PrometheusResource> WithScrapeTarget<T>(
        this IResourceBuilder<PrometheusResource> builder,
        string job,
        IResourceBuilder<T> target,
        string endpointName = "http",
        string metricsPath = "/metrics",
        IReadOnlyDictionary<string, string>? labels = null)
        where T : IResourceWithEndpoints
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(job);
        ArgumentNullException.ThrowIfNull(target);

        var endpoint = ContainerNetworkReference.Reference(builder, target, endpointName, $"SCRAPE_TARGET_{job}_{target.Resource.Name}");
        return builder.WithAnnotation(new ScrapeTargetAnnotation(job, endpoint, metricsPath, labels));
    }

    /// <summary>The full path of the checked-in configuration file.</summary>
    /// <param name="resource">The Prometheus resource.</param>
    /// <returns>The path.</returns>
    internal static string ConfigFilePath(this PrometheusResource resource) => Path.Combine(resource.ConfigDirectory, ConfigFileName);

    /// <summary>Whether the run needs a generated copy of the configuration (other intervals than the file's, or capped alerts).</summary>
    /// <param name="resource">The Prometheus resource.</param>
    /// <returns><see langword="true"/> when Prometheus reads <c>/aspire/prometheus.yml</c>.</returns>
    internal static bool UsesGeneratedConfig(this PrometheusResource resource)
    {
        var file = PrometheusConfigFile.Load(resource.ConfigFilePath());
        return file.ScrapeInterval != resource.ScrapeInterval || file.EvaluationInterval != resource.EvaluationInterval || resource.MaxAlertFor is not null;
    }

    private static string ConfigFileInContainer(PrometheusResource resource) => resource.UsesGeneratedConfig()
        ? $"{GeneratedFiles.ContainerPath}/{ConfigFileName}"
        : $"{ConfigMountPath}/{ConfigFileName}";

    /// <summary>
    /// Before Prometheus starts: the configuration copy (and capped rule copies) when needed, and a target file for
    /// every job the configuration reads (an empty list until its targets are known). A source whose job no scrape
    /// config reads stops start-up. The targets themselves are written once their addresses are allocated (see
    /// <see cref="WriteTargetsWhenAllocated"/>).
    /// </summary>
    private static async Task WriteConfigAsync(PrometheusResource prometheus, CancellationToken cancellationToken)
    {
        var config = PrometheusConfigFile.Load(prometheus.ConfigFilePath());
        CheckEveryJobIsRead(prometheus, config);

        foreach (var file in config.GeneratedTargetFiles)
        {
            var path = Path.Combine(prometheus.GeneratedDirectory, "targets", file);
            if (!File.Exists(path))
            {
                await GeneratedFiles.WriteAtomicallyAsync(path, "[]", cancellationToken).ConfigureAwait(false);
            }
        }

        if (prometheus.UsesGeneratedConfig())
        {
            var ruleCopies = new Dictionary<string, string>(StringComparer.Ordinal);
            if (prometheus.MaxAlertFor is { } maxFor)
            {
                foreach (var rules in config.RuleFiles(ConfigMountPath, prometheus.ConfigDirectory))
                {
                    var copy = $"{RulesDirectory}/{rules.Relative}";
                    await GeneratedFiles.WriteAtomicallyAsync(
                        Path.Combine(prometheus.GeneratedDirectory, "rules", rules.Relative),
                        PrometheusRuleFile.Load(rules.OnHost).WithMaxFor(maxFor), cancellationToken).ConfigureAwait(false);
                    ruleCopies[rules.InContainer] = copy;
                }
            }

            await GeneratedFiles.WriteAtomicallyAsync(
                Path.Combine(prometheus.GeneratedDirectory, ConfigFileName),
                config.Generate(prometheus.ScrapeInterval, prometheus.EvaluationInterval, ruleCopies), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops start-up when a scrape target's job is read by no scrape config of <c>prometheus.yml</c> (a component added
    /// to the AppHost without its job), naming the file and giving the job to add.
    /// </summary>
    private static void CheckEveryJobIsRead(PrometheusResource prometheus, PrometheusConfigFile config)
    {
        var unread = prometheus.Annotations.OfType<IScrapeTargetSource>().FirstOrDefault(s => !config.GeneratedTargetFiles.Contains(TargetFile(s.Job)));
        if (unread is not null)
        {
            var target = $"{PrometheusConfigFile.TargetsDirectory}{TargetFile(unread.Job)}";
            throw new DistributedApplicationException(
                $"{config.Path}: no scrape job reads {target}, so the targets of '{unread.Owner.Name}' would never be scraped. " +
                $"Add the job '{unread.Job}' to its scrape_configs:{Environment.NewLine}" +
                $"  - job_name: {unread.Job}{Environment.NewLine}    file_sd_configs:{Environment.NewLine}      - files: [{target}]");
        }
    }

    /// <summary>
    /// Writes each job's <c>targets/{job}.json</c> once the addresses of its targets, as Prometheus' container sees
    /// them, are allocated; Prometheus' file_sd picks each file up as it lands. They cannot be awaited before the
    /// container starts: a host process (Probes as a project) gets its container-network address from Aspire's
    /// container tunnel, which is set up while the first container referencing it is created, after this hook.
    /// </summary>
    private static void WriteTargetsWhenAllocated(PrometheusResource prometheus, IServiceProvider services)
    {
        foreach (var job in prometheus.Annotations.OfType<IScrapeTargetSource>().Select(s => s.Job).Distinct(StringComparer.Ordinal))
        {
            GeneratedFiles.WriteWhenAllocated(services, prometheus, $"the targets of job '{job}'", ct => WriteTargetsAsync(prometheus, job, ct));
        }
    }

    /// <summary>Resolves and writes one job's targets (waiting for their addresses).</summary>
    private static async Task WriteTargetsAsync(PrometheusResource prometheus, string job, CancellationToken cancellationToken)
    {
        var groups = new List<object>();
        foreach (var source in prometheus.Annotations.OfType<IScrapeTargetSource>().Where(s => s.Job == job))
        {
            groups.AddRange((await source.ResolveAsync(prometheus, cancellationToken).ConfigureAwait(false))
                .Select(g => new { targets = g.Targets, labels = g.Labels }));
        }

        await GeneratedFiles.WriteAtomicallyAsync(
            Path.Combine(prometheus.GeneratedDirectory, "targets", TargetFile(job)), JsonSerializer.Serialize(groups, s_json), cancellationToken).ConfigureAwait(false);
    }

    private static string TargetFile(string job) => $"{job}.json";
}
