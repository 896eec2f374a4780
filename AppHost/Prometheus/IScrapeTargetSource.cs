namespace Monitoring.AppHost;

/// <summary>A Prometheus <c>file_sd</c> target group: addresses and the labels they share.</summary>
/// <param name="Targets">The <c>targets</c> entries.</param>
/// <param name="Labels">The <c>labels</c> (including relabelling inputs such as <c>__metrics_path__</c>).</param>
public sealed record ScrapeTargetGroup(IReadOnlyList<string> Targets, IReadOnlyDictionary<string, string> Labels);

/// <summary>
/// An annotation on a Prometheus resource that contributes target groups to a job's generated
/// <c>/aspire/targets/{Job}.json</c> file when Prometheus starts.
/// </summary>
public interface IScrapeTargetSource : IResourceAnnotation
{
    /// <summary>The job of <c>prometheus.yml</c> whose file the groups go to.</summary>
    string Job { get; }

    /// <summary>The resource the targets belong to, for messages.</summary>
    IResource Owner { get; }

    /// <summary>Resolves the groups, with addresses as containers on the Aspire network see them.</summary>
    /// <param name="prometheus">The Prometheus resource.</param>
    /// <param name="cancellationToken">Cancels the resolution.</param>
    /// <returns>The groups.</returns>
    Task<IReadOnlyList<ScrapeTargetGroup>> ResolveAsync(PrometheusResource prometheus, CancellationToken cancellationToken);
}
