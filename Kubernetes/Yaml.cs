using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Monitoring.Kubernetes;

/// <summary>Reading the provisioning files and writing the exported ones, with YamlDotNet's representation model.</summary>
internal static partial class Yaml
{
    /// <summary>Reads a YAML file whose document is one mapping.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The mapping.</returns>
    /// <exception cref="ExportException">It is missing, not YAML, or not a mapping; the message names the file and line.</exception>
    public static YamlMappingNode Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ExportException($"{path}: the file does not exist.");
        }

        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new ExportException($"{path}:{ex.Start.Line}:{ex.Start.Column}: not valid YAML: {(ex.InnerException ?? ex).Message}");
        }

        return stream.Documents is [{ RootNode: YamlMappingNode root }] ? root : throw new ExportException($"{path}:1: the file must be one YAML mapping.");
    }

    /// <summary>A child of a mapping, of the kind expected.</summary>
    /// <param name="path">The file the mapping comes from, for the message.</param>
    /// <param name="parent">The mapping.</param>
    /// <param name="key">The key.</param>
    /// <returns>The child.</returns>
    /// <exception cref="ExportException">It is missing or of another kind; the message names the file and line.</exception>
    public static T Required<T>(string path, YamlMappingNode parent, string key) where T : YamlNode =>
        Optional<T>(parent, key) ?? throw new ExportException($"{path}:{parent.Start.Line}: '{key}' is missing or not a {typeof(T).Name[4..^4].ToLowerInvariant()}.");

    /// <summary>A child of a mapping of the kind expected, or <see langword="null"/>.</summary>
    /// <param name="parent">The mapping.</param>
    /// <param name="key">The key.</param>
    /// <returns>The child.</returns>
    public static T? Optional<T>(YamlMappingNode parent, string key) where T : YamlNode =>
        parent.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node as T : null;

    /// <summary>A mapping of the given entries, in order, skipping those whose value is <see langword="null"/>.</summary>
    /// <param name="entries">The keys and values.</param>
    /// <returns>The mapping.</returns>
    public static YamlMappingNode Map(params (string Key, YamlNode? Value)[] entries)
    {
        var map = new YamlMappingNode();
        foreach (var (key, value) in entries)
        {
            if (value is not null)
            {
                map.Add(Str(key), value);
            }
        }

        return map;
    }

    /// <summary>A sequence of the given items.</summary>
    /// <param name="items">The items.</param>
    /// <returns>The sequence.</returns>
    public static YamlSequenceNode Seq(IEnumerable<YamlNode> items) => new(items);

    /// <summary>A sequence of strings.</summary>
    /// <param name="items">The strings.</param>
    /// <returns>The sequence.</returns>
    public static YamlSequenceNode Seq(params string[] items) => new(items.Select(i => (YamlNode)Str(i)));

    /// <summary>A string, quoted where a plain scalar would read as a number, a boolean or null.</summary>
    /// <param name="value">The string.</param>
    /// <returns>The scalar.</returns>
    public static YamlScalarNode Str(string value) =>
        new(value) { Style = NonString().IsMatch(value) || value.Length == 0 ? ScalarStyle.DoubleQuoted : ScalarStyle.Any };

    /// <summary>A long text as a literal block (a dashboard's JSON).</summary>
    /// <param name="value">The text.</param>
    /// <returns>The scalar.</returns>
    public static YamlScalarNode Block(string value) => new(value) { Style = ScalarStyle.Literal };

    /// <summary>A number or boolean as a plain scalar.</summary>
    /// <param name="value">The value as YAML writes it.</param>
    /// <returns>The scalar.</returns>
    public static YamlScalarNode Plain(string value) => new(value) { Style = ScalarStyle.Plain };

    /// <summary>Writes a document with a header comment.</summary>
    /// <param name="root">The document's root.</param>
    /// <param name="header">The comment lines, without their '#'.</param>
    /// <returns>The YAML text.</returns>
    public static string Write(YamlNode root, IEnumerable<string> header)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        foreach (var line in header)
        {
            writer.WriteLine(line.Length == 0 ? "#" : $"# {line}");
        }

        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        // YamlStream ends each document with an explicit end marker, which a single-document file does not need.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    /// <summary>A deep copy of a node, so one source node is never emitted twice in one tree.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The copy.</returns>
    public static YamlNode Copy(YamlNode node) => node switch
    {
        YamlScalarNode s => new YamlScalarNode(s.Value) { Style = s.Style, Tag = s.Tag },
        YamlSequenceNode q => new YamlSequenceNode(q.Children.Select(Copy)) { Style = q.Style },
        YamlMappingNode m => Copy(m),
        _ => throw new ArgumentException($"unexpected node {node.NodeType}"),
    };

    /// <summary>A deep copy of a mapping.</summary>
    /// <param name="node">The mapping.</param>
    /// <returns>The copy.</returns>
    public static YamlMappingNode Copy(YamlMappingNode node)
    {
        var copy = new YamlMappingNode { Style = node.Style };
        foreach (var (key, value) in node.Children)
        {
            copy.Add(Copy(key), Copy(value));
        }

        return copy;
    }

    // The plain scalars the YAML 1.2 core schema resolves to null, booleans, integers or floats.
    [GeneratedRegex(@"^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.nan|\.NaN|\.NAN|yes|no|on|off|y|n|Yes|No|On|Off|YES|NO|ON|OFF)$")]
    private static partial Regex NonString();
}
