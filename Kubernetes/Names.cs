using System.Text.RegularExpressions;

namespace Monitoring.Kubernetes;

/// <summary>Kubernetes' rules for names and keys (k8s.io/apimachinery pkg/util/validation/validation.go).</summary>
internal static partial class Names
{
    /// <summary>Whether a name is a DNS-1123 subdomain of at most 253 characters (object names).</summary>
    /// <param name="name">The name.</param>
    /// <returns>Whether it is.</returns>
    public static bool IsDnsSubdomain(string name) => name.Length <= 253 && DnsSubdomain().IsMatch(name);

    /// <summary>Whether a name is a DNS-1123 label of at most 63 characters (namespaces, release names).</summary>
    /// <param name="name">The name.</param>
    /// <returns>Whether it is.</returns>
    public static bool IsDnsLabel(string name) => name.Length <= 63 && DnsLabel().IsMatch(name);

    /// <summary>Whether a key is a valid ConfigMap or Secret data key.</summary>
    /// <param name="key">The key.</param>
    /// <returns>Whether it is.</returns>
    public static bool IsConfigMapKey(string key) => key.Length <= 253 && ConfigMapKey().IsMatch(key);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex ConfigMapKey();
}
