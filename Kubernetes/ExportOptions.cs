using System.Text.RegularExpressions;

namespace Monitoring.Kubernetes;

/// <summary>What to export, where to: the command line of <c>Monitoring.Kubernetes</c>.</summary>
/// <param name="Release">The Helm release name of kube-prometheus-stack.</param>
/// <param name="Namespace">The namespace the release, the exporters and the manifests live in.</param>
/// <param name="OutputDirectory">The folder written.</param>
/// <param name="ProvisioningDirectory">The <c>provisioning/</c> folder read (the one the AppHost mounts).</param>
/// <param name="Retention">Prometheus' retention on the cluster (the AppHost's default: 15d).</param>
public sealed partial record ExportOptions(string Release, string Namespace, string OutputDirectory, string ProvisioningDirectory, string Retention)
{
    /// <summary>The usage text.</summary>
    public const string Usage =
        """
        Usage: dotnet run --project Kubernetes -- --release <name> --namespace <namespace> [--output <folder>]
                          [--provisioning <folder>] [--retention <duration>]

          --release       the Helm release name of kube-prometheus-stack (a DNS label of at most 53 characters)
          --namespace     the namespace of the release, the exporters and the manifests (a DNS label)
          --output        the folder to write (default: artifacts/kubernetes/<release>); an earlier export there is replaced
          --provisioning  the provisioning folder to read (default: provisioning/ of this repository)
          --retention     how long Prometheus keeps samples on the cluster (default: 15d, as the AppHost)
        """;

    /// <summary>Reads the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="repositoryRoot">The folder holding <c>provisioning/</c>, for the defaults.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ExportException">An argument is missing, unknown or invalid; the message names it.</exception>
    public static ExportOptions Parse(IReadOnlyList<string> args, string repositoryRoot)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] known = ["--release", "--namespace", "--output", "--provisioning", "--retention"];
        for (var i = 0; i < args.Count; i++)
        {
            var (key, value) = args[i].Split('=', 2) is [var k, var v] ? (k, (string?)v) : (args[i], null);
            if (!known.Contains(key))
            {
                throw new ExportException($"Unknown argument '{args[i]}'.");
            }

            value ??= i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : throw new ExportException($"{key} needs a value.");
            values[key] = value;
        }

        var release = values.GetValueOrDefault("--release") ?? throw new ExportException("--release is required: the Helm release name of kube-prometheus-stack.");
        var ns = values.GetValueOrDefault("--namespace") ?? throw new ExportException("--namespace is required: the namespace of the release.");
        // Helm's rule for release names (pkg/chartutil, ValidateReleaseName): a DNS-1123 label of at most 53 characters,
        // since the chart appends suffixes to it within the 63 of a Service name.
        if (!Names.IsDnsLabel(release) || release.Length > 53)
        {
            throw new ExportException($"--release '{release}': a release name is lower-case letters, digits and '-', starts and ends with a letter or digit, at most 53 characters.");
        }

        if (!Names.IsDnsLabel(ns))
        {
            throw new ExportException($"--namespace '{ns}': a namespace is lower-case letters, digits and '-', starts and ends with a letter or digit, at most 63 characters.");
        }

        var retention = values.GetValueOrDefault("--retention") ?? "15d";
        if (retention.Length == 0 || !PrometheusDuration().IsMatch(retention))
        {
            throw new ExportException($"--retention '{retention}': a Prometheus duration such as 15d or 12h.");
        }

        if (values.GetValueOrDefault("--output") is "" || values.GetValueOrDefault("--provisioning") is "")
        {
            throw new ExportException("--output and --provisioning need a folder.");
        }

        return new ExportOptions(
            release,
            ns,
            Path.GetFullPath(values.GetValueOrDefault("--output") ?? Path.Combine(repositoryRoot, "artifacts", "kubernetes", release)),
            Path.GetFullPath(values.GetValueOrDefault("--provisioning") ?? Path.Combine(repositoryRoot, "provisioning")),
            retention);
    }

    // The Prometheus CRD's Duration: units in order, each at most once.
    [GeneratedRegex("^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$")]
    private static partial Regex PrometheusDuration();
}
