
namespace Monitoring.AppHost;

/// <summary>Adds Grafana to the application model.</summary>
public static class GrafanaBuilderExtensions
{
    private const string ProvisioningMountPath = "/etc/grafana/provisioning";
    private const string DashboardsMountPath = "/etc/grafana/dashboards";
    private const string DataMountPath = "/var/lib/grafana";

    /// <summary>
    /// The container's command: Grafana applies <c>GF_SECURITY_ADMIN_PASSWORD</c> only when it creates the admin user on
    /// the first boot of its data volume, so a changed password parameter would be ignored ever after. The official
    /// image's CLI resets the password to the parameter's value before the server starts (on the very first boot there
    /// is no admin yet, the reset fails harmlessly, and the server creates the admin with that value).
    /// </summary>
    internal const string StartScript =
        "grafana cli --homepath \"$GF_PATHS_HOME\" admin reset-admin-password \"$GF_SECURITY_ADMIN_PASSWORD\" >/dev/null 2>&1 " +
        "&& echo 'grafana: admin password set from the grafana-admin-password parameter' " +
        "|| echo 'grafana: first boot, the admin user is created with the grafana-admin-password parameter'; " +
        "exec /run.sh";

    /// <summary>
    /// Adds a Grafana container: datasources and dashboard providers from <c>{configDirectory}/provisioning</c>, dashboard
    /// JSON from <c>{configDirectory}/dashboards</c> (both read-only), the Prometheus URL in <c>PROMETHEUS_URL</c> for the
    /// datasource file, anonymous access and sign-up off, and an admin password from a secret parameter
    /// (<c>{name}-admin-password</c>, generated and kept in user secrets when not set; never admin/admin).
    /// <c>/api/health</c> is the health check.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="configDirectory">The folder with <c>provisioning/</c> and <c>dashboards/</c>.</param>
    /// <param name="prometheus">The Prometheus its datasource points at.</param>
    /// <param name="adminPassword">The admin password parameter; generated when not given.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<GrafanaResource> AddGrafana(
        this IDistributedApplicationBuilder builder,
        [ResourceName] string name,
        string configDirectory,
        IResourceBuilder<PrometheusResource> prometheus,
        IResourceBuilder<ParameterResource>? adminPassword = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(configDirectory);
        ArgumentNullException.ThrowIfNull(prometheus);

        var password = (adminPassword ?? builder.AddUrlSafePassword($"{name}-admin-password")).Resource;

        var directory = Path.GetFullPath(configDirectory);
        ProvisioningValidation.ValidateYamlAtStart(builder, Directory.Exists(Path.Combine(directory, "provisioning"))
            ? Directory.GetFiles(Path.Combine(directory, "provisioning"), "*.yml", SearchOption.AllDirectories)
            : [Path.Combine(directory, "provisioning")]);
        ProvisioningValidation.ValidateJsonAtStart(builder, Path.Combine(directory, "dashboards"));
        var grafana = builder.AddResource(new GrafanaResource(name, password))
            .WithImage(PinnedImages.Grafana.Image, PinnedImages.Grafana.Tag)
            .WithImageRegistry(PinnedImages.Grafana.Registry)
            .WithHttpEndpoint(targetPort: GrafanaResource.HttpPort, name: GrafanaResource.PrimaryEndpointName)
            .WithBindMount(Path.Combine(directory, "provisioning"), ProvisioningMountPath, isReadOnly: true)
            .WithBindMount(Path.Combine(directory, "dashboards"), DashboardsMountPath, isReadOnly: true)
            .WithEnvironment("GF_SECURITY_ADMIN_USER", GrafanaResource.AdminUser)
            .WithEnvironment("GF_SECURITY_ADMIN_PASSWORD", password)
            .WithEnvironment("GF_AUTH_ANONYMOUS_ENABLED", "false")
            .WithEnvironment("GF_USERS_ALLOW_SIGN_UP", "false")
            .WithEnvironment("GF_ANALYTICS_REPORTING_ENABLED", "false")
            .WithEnvironment("GF_ANALYTICS_CHECK_FOR_UPDATES", "false")
            .WithEnvironment("GF_PATHS_PROVISIONING", ProvisioningMountPath)
            .WithEnvironment("PROMETHEUS_URL", prometheus.Resource.PrimaryEndpoint)
            .WithEntrypoint("/bin/sh")
            .WithArgs("-c", StartScript)
            .WithHttpHealthCheck("/api/health", endpointName: GrafanaResource.PrimaryEndpointName)
            .WithUrlForEndpoint(GrafanaResource.PrimaryEndpointName, url => url.DisplayText = "Grafana")
            .WithReferenceRelationship(prometheus.Resource)
            .WaitFor(prometheus);

        // A link per provisioned dashboard, straight from the Aspire dashboard.
        foreach (var (uid, title) in DashboardsIn(Path.Combine(directory, "dashboards")))
        {
            grafana.WithUrl(ReferenceExpression.Create($"{grafana.Resource.PrimaryEndpoint}/d/{uid}"), title);
        }

        return grafana;
    }

    /// <summary>The uid and title of each dashboard file.</summary>
    /// <param name="directory">The dashboards folder.</param>
    /// <returns>The dashboards, by file name.</returns>
    /// <remarks>A file that does not parse is left out here; the start-up check reports it with its line.</remarks>
    internal static IEnumerable<(string Uid, string Title)> DashboardsIn(string directory)
    {
        var dashboards = new List<(string, string)>();
        foreach (var file in Directory.Exists(directory) ? Directory.GetFiles(directory, "*.json").Order() : Enumerable.Empty<string>())
        {
            try
            {
                using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
                if (json.RootElement.TryGetProperty("uid", out var uid) && json.RootElement.TryGetProperty("title", out var title))
                {
                    dashboards.Add((uid.GetString()!, title.GetString()!));
                }
            }
            catch (System.Text.Json.JsonException)
            {
                continue;
            }
        }

        return dashboards;
    }

    /// <summary>Keeps Grafana's database (users, preferences, annotations) in a named volume.</summary>
    /// <param name="builder">The Grafana resource builder.</param>
    /// <param name="name">The volume name; generated when not given.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<GrafanaResource> WithDataVolume(this IResourceBuilder<GrafanaResource> builder, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithVolume(name ?? VolumeNameGenerator.Generate(builder, "data"), DataMountPath);
    }
}
