namespace Monitoring.Kubernetes;

/// <summary>
/// The kube-prometheus-stack chart the export is written for: the one place its version is named. The CRD schemas the
/// tests validate against are vendored from this chart version (tests/Monitoring.Tests/Kubernetes/crds/).
/// </summary>
public static class KubePrometheusStack
{
    /// <summary>The chart's version (<c>helm install --version</c>).</summary>
    public const string ChartVersion = "88.5.3";

    /// <summary>The Prometheus Operator version whose CRDs the chart ships (<c>operator.prometheus.io/version</c>).</summary>
    public const string OperatorVersion = "0.93.1";

    /// <summary>The chart's Helm repository.</summary>
    public const string Repository = "https://prometheus-community.github.io/helm-charts";

    /// <summary>
    /// The label by which the chart's Prometheus selects PrometheusRules, ServiceMonitors, PodMonitors and Probes
    /// (<c>*SelectorNilUsesHelmValues: true</c>): objects without it are ignored.
    /// </summary>
    public const string ReleaseLabel = "release";
}
