using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Monitoring.AppHost;

/// <summary>
/// Checks a component's provisioning files when the application starts, before any resource is created: a file that
/// does not parse stops start-up with one message naming the file and line, and nothing is left half-started.
/// </summary>
internal static class ProvisioningValidation
{
    /// <summary>Checks YAML files (each must be one YAML document) at start.</summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="files">The files; every one must exist.</param>
    public static void ValidateYamlAtStart(IDistributedApplicationBuilder builder, params string[] files) =>
        builder.Eventing.Subscribe<BeforeStartEvent>((_, _) =>
        {
            foreach (var file in files)
            {
                CheckYaml(file);
            }

            return Task.CompletedTask;
        });

    /// <summary>Checks every JSON file of a folder at start.</summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="directory">The folder.</param>
    public static void ValidateJsonAtStart(IDistributedApplicationBuilder builder, string directory) =>
        builder.Eventing.Subscribe<BeforeStartEvent>((_, _) =>
        {
            foreach (var file in Directory.Exists(directory) ? Directory.GetFiles(directory, "*.json") : [])
            {
                CheckJson(file);
            }

            return Task.CompletedTask;
        });

    /// <summary>Parses a YAML file.</summary>
    /// <param name="file">The file.</param>
    /// <exception cref="DistributedApplicationException">It is missing or not YAML; the message names the file and line.</exception>
    public static void CheckYaml(string file)
    {
        if (!File.Exists(file))
        {
            throw new DistributedApplicationException($"{file}: the file does not exist.");
        }

        try
        {
            using var reader = new StreamReader(file);
            new YamlStream().Load(reader);
        }
        catch (YamlException ex)
        {
            throw new DistributedApplicationException($"{file}:{ex.Start.Line}:{ex.Start.Column}: not valid YAML: {(ex.InnerException ?? ex).Message}", ex);
        }
    }

    /// <summary>Parses a JSON file.</summary>
    /// <param name="file">The file.</param>
    /// <exception cref="DistributedApplicationException">It is not JSON; the message names the file and line.</exception>
    public static void CheckJson(string file)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
        }
        catch (JsonException ex)
        {
            throw new DistributedApplicationException($"{file}:{(ex.LineNumber ?? 0) + 1}: not valid JSON: {ex.Message}", ex);
        }
    }
}
