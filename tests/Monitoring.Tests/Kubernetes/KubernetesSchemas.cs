using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using k8s;
using k8s.Models;
using Monitoring.Kubernetes;
using Monitoring.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Monitoring.Tests.Kubernetes;

/// <summary>
/// Validates manifests as the API server would without a cluster: custom resources against the
/// <c>openAPIV3Schema</c> of the CRDs vendored from the pinned kube-prometheus-stack (JsonSchema.Net), core objects
/// by KubernetesClient's strict YAML reading into its models, and every object's metadata by the API server's own
/// rules for names, labels and annotations (k8s.io/apimachinery pkg/api/validation/objectmeta.go and
/// pkg/util/validation/validation.go). Unknown fields are rejected, as <c>kubectl apply --validate=strict</c> does.
/// </summary>
internal static partial class KubernetesSchemas
{
    /// <summary>The folder of the vendored CRDs.</summary>
    public static readonly string CrdDirectory = Repo.Path("tests", "Monitoring.Tests", "Kubernetes", "crds");

    private static readonly Lazy<Dictionary<string, JsonSchema>> s_schemas = new(LoadCrds);

    /// <summary>The kinds whose CRD is vendored.</summary>
    public static IReadOnlyCollection<string> CustomKinds => s_schemas.Value.Keys;

    /// <summary>Every problem of one object; empty when the API server would accept it.</summary>
    /// <param name="yaml">The object's YAML.</param>
    /// <returns>The problems, each with the field's path.</returns>
    public static IReadOnlyList<string> Problems(string yaml)
    {
        var node = ToJson(LoadYaml(yaml));
        if (node is not JsonObject obj || obj["kind"]?.GetValue<string>() is not { } kind || obj["apiVersion"]?.GetValue<string>() is not { } apiVersion)
        {
            return ["not an object with apiVersion and kind"];
        }

        var problems = new List<string>();
        if (obj["metadata"] is not JsonObject metadata)
        {
            return ["metadata: missing"];
        }

        problems.AddRange(MetadataProblems(metadata));
        if (apiVersion == "v1" && kind == "ConfigMap")
        {
            problems.AddRange(Strict<V1ConfigMap>(yaml));
            foreach (var key in (obj["data"] as JsonObject)?.Select(p => p.Key) ?? [])
            {
                if (!Names.IsConfigMapKey(key))
                {
                    problems.Add($"data.{key}: a key is letters, digits, '-', '_' and '.', at most 253 characters");
                }
            }
        }
        else if (apiVersion == "monitoring.coreos.com/v1" && s_schemas.Value.TryGetValue(kind, out var schema))
        {
            using var document = JsonDocument.Parse(obj.ToJsonString());
            var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!result.IsValid)
            {
                // Every failed keyword, those of alternatives (anyOf) that another alternative satisfied among them.
                var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).ToList();
                problems.AddRange(errors.Count > 0 ? errors : [$"{kind}: does not validate against its CRD"]);
            }
        }
        else
        {
            problems.Add($"{apiVersion} {kind}: no schema to validate against");
        }

        return problems;
    }

    /// <summary>The object a YAML text holds, as JSON, with YAML 1.2 core schema typing of plain scalars.</summary>
    /// <param name="yaml">The YAML.</param>
    /// <returns>The object.</returns>
    public static JsonNode? Json(string yaml) => ToJson(LoadYaml(yaml));

    private static IEnumerable<string> Strict<T>(string yaml)
    {
        try
        {
            KubernetesYaml.Deserialize<T>(yaml, strict: true);
            return [];
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            return [$"{typeof(T).Name}: line {ex.Start.Line}: {(ex.InnerException ?? ex).Message}"];
        }
    }

    private static IEnumerable<string> MetadataProblems(JsonObject metadata)
    {
        var problems = new List<string>(Strict<V1ObjectMeta>(metadata.ToJsonString()));
        var name = metadata["name"]?.GetValue<string>() ?? "";
        if (!Names.IsDnsSubdomain(name))
        {
            problems.Add($"metadata.name '{name}': a DNS-1123 subdomain of at most 253 characters");
        }

        if (metadata["namespace"]?.GetValue<string>() is { } ns && !Names.IsDnsLabel(ns))
        {
            problems.Add($"metadata.namespace '{ns}': a DNS-1123 label");
        }

        foreach (var (key, value) in (metadata["labels"] as JsonObject)?.Select(p => (p.Key, p.Value?.GetValue<string>() ?? "")) ?? [])
        {
            if (!IsQualifiedName(key))
            {
                problems.Add($"metadata.labels.{key}: not a qualified name");
            }

            if (value.Length > 63 || (value.Length > 0 && !LabelValue().IsMatch(value)))
            {
                problems.Add($"metadata.labels.{key}: '{value}' is not a label value (at most 63 letters, digits, '-', '_', '.')");
            }
        }

        var annotations = (metadata["annotations"] as JsonObject)?.Select(p => (p.Key, Value: p.Value?.GetValue<string>() ?? "")).ToList() ?? [];
        foreach (var (key, _) in annotations.Where(a => !IsQualifiedName(a.Key)))
        {
            problems.Add($"metadata.annotations.{key}: not a qualified name");
        }

        // ValidateAnnotationsSize: keys and values together at most 256 KiB.
        if (annotations.Sum(a => a.Key.Length + a.Value.Length) > TotalAnnotationSizeLimit)
        {
            problems.Add("metadata.annotations: over 256 KiB in all");
        }

        return problems;
    }

    /// <summary>The most the annotations of one object may hold (apimachinery's TotalAnnotationSizeLimitB).</summary>
    public const int TotalAnnotationSizeLimit = 256 * 1024;

    private static bool IsQualifiedName(string key)
    {
        var parts = key.Split('/');
        return parts switch
        {
            [var name] => name.Length <= 63 && QualifiedNamePart().IsMatch(name),
            [var prefix, var name] => Names.IsDnsSubdomain(prefix) && name.Length <= 63 && QualifiedNamePart().IsMatch(name),
            _ => false,
        };
    }

    private static Dictionary<string, JsonSchema> LoadCrds()
    {
        var schemas = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(CrdDirectory, "*.yaml"))
        {
            var crd = (JsonObject)ToJson(LoadYaml(File.ReadAllText(file)))!;
            var kind = crd["spec"]!["names"]!["kind"]!.GetValue<string>();
            var version = ((JsonArray)crd["spec"]!["versions"]!).Single(v => v!["name"]!.GetValue<string>() == "v1")!;
            var schema = Structural(version["schema"]!["openAPIV3Schema"]!.DeepClone());
            ((JsonObject)schema)["$schema"] = "https://json-schema.org/draft/2020-12/schema";
            schemas[kind] = JsonSchema.FromText(schema.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }

        return schemas;
    }

    /// <summary>The OpenAPI v3 subset of a structural schema in JSON Schema terms, with unknown fields rejected.</summary>
    /// <remarks>
    /// The API server prunes (or, with strict field validation, rejects) fields a structural schema does not declare,
    /// unless <c>x-kubernetes-preserve-unknown-fields</c> says otherwise: here every object that lists its properties
    /// gets <c>additionalProperties: false</c>. <c>x-kubernetes-int-or-string</c> accepts an integer or a string;
    /// <c>nullable</c> accepts null.
    /// </remarks>
    private static JsonNode Structural(JsonNode node)
    {
        if (node is not JsonObject schema)
        {
            return node;
        }

        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            return new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }) };
        }

        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        foreach (var key in schema.Select(p => p.Key).Where(k => k.StartsWith("x-kubernetes-", StringComparison.Ordinal) || k == "description").ToList())
        {
            schema.Remove(key);
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var name in properties.Select(p => p.Key).ToList())
            {
                properties[name] = Structural(properties[name]!.DeepClone());
            }

            if (!preserve && schema["additionalProperties"] is null)
            {
                schema["additionalProperties"] = false;
            }
        }

        foreach (var key in new[] { "items", "additionalProperties", "not" })
        {
            if (schema[key] is JsonObject child)
            {
                schema[key] = Structural(child.DeepClone());
            }
        }

        foreach (var key in new[] { "allOf", "anyOf", "oneOf" })
        {
            if (schema[key] is JsonArray list)
            {
                schema[key] = new JsonArray([.. list.Select(i => Structural(i!.DeepClone()))]);
            }
        }

        if (schema["nullable"]?.GetValue<bool>() == true && schema["type"] is JsonValue type)
        {
            schema["type"] = new JsonArray(type.GetValue<string>(), "null");
        }

        schema.Remove("nullable");
        return schema;
    }

    private static YamlNode LoadYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Single().RootNode;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode s => new JsonArray([.. s.Children.Select(ToJson)]),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } p => Plain(p.Value ?? ""),
        YamlScalarNode q => JsonValue.Create(q.Value),
        _ => throw new ArgumentException($"unexpected YAML node {node.NodeType}"),
    };

    // YAML 1.2 core schema: null, booleans, integers and floats; everything else plain is a string.
    private static JsonNode? Plain(string value) => value switch
    {
        "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => JsonValue.Create(i),
        _ when FloatScalar().IsMatch(value) => JsonValue.Create(double.Parse(value, CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(value),
    };

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatScalar();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedNamePart();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();
}
