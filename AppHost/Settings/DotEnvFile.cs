using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;

namespace Monitoring.AppHost;

/// <summary>
/// Reads a git-ignored <c>.env</c> file (<c>KEY=value</c> lines, <c>#</c> comments, optional quotes) into configuration,
/// with <c>__</c> in keys meaning <c>:</c> as for environment variables (<c>Parameters__grafana-admin-password</c>).
/// It ranks just above <c>appsettings.json</c>: user secrets, the environment and the command line still win.
/// </summary>
internal static class DotEnvFile
{
    /// <summary>Parses the file's text.</summary>
    /// <param name="path">The file, for messages.</param>
    /// <param name="lines">Its lines.</param>
    /// <returns>The settings, by configuration key.</returns>
    /// <exception cref="InvalidOperationException">A line is not <c>KEY=value</c>; the message names the file and line.</exception>
    public static Dictionary<string, string?> Parse(string path, IReadOnlyList<string> lines)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new InvalidOperationException($"{path}:{i + 1}: expected KEY=value, found '{line}'.");
            }

            var key = line[..equals].Trim().Replace("__", ":", StringComparison.Ordinal);
            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Adds the file's settings to the configuration when it exists.</summary>
    /// <param name="configuration">The AppHost's configuration.</param>
    /// <param name="path">The <c>.env</c> file.</param>
    public static void AddTo(ConfigurationManager configuration, string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        IConfigurationBuilder builder = configuration;
        var afterAppSettings = builder.Sources
            .Select((source, index) => (source, index))
            .LastOrDefault(s => s.source is JsonConfigurationSource { Path: not null } json && json.Path.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase))
            .index + 1;
        builder.Sources.Insert(afterAppSettings, new MemoryConfigurationSource { InitialData = Parse(path, File.ReadAllLines(path)) });
    }
}
