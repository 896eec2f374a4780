using System.Text.RegularExpressions;

namespace Monitoring.AppHost;

/// <summary>
/// The error a validator printed, without its log noise. Exporters log in logfmt: go-kit before (blackbox_exporter
/// 0.23: <c>level=error msg=… err=…</c>), slog since (0.26: <c>time=… level=ERROR source=main.go:90 msg=… err="…\n  line 3: …"</c>,
/// blackbox_exporter main.go at v0.26.0), so a message would otherwise carry timestamps, source lines and the
/// informational lines logged before the error.
/// </summary>
internal static partial class ValidatorOutput
{
    /// <summary>
    /// The lines that say what is wrong: plain lines as they are; of logfmt lines, only errors, as their message and
    /// their <c>err</c> (its escaped newlines expanded); promtool's warnings about <c>file_sd</c> files the AppHost
    /// writes only at start-up are dropped.
    /// </summary>
    /// <param name="output">What the validator printed.</param>
    /// <returns>The lines.</returns>
    public static IReadOnlyList<string> ErrorLines(string output)
    {
        var lines = new List<string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.Contains("for file_sd in", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = LogfmtField().Matches(line).ToDictionary(m => m.Groups["key"].Value, Value, StringComparer.Ordinal);
            if (!fields.TryGetValue("level", out var level) || !fields.ContainsKey("msg"))
            {
                lines.Add(line);
                continue;
            }

            if (level.Equals("error", StringComparison.OrdinalIgnoreCase) || level.Equals("fatal", StringComparison.OrdinalIgnoreCase))
            {
                var message = fields.TryGetValue("err", out var err) ? $"{fields["msg"]}: {err}" : fields["msg"];
                lines.AddRange(message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
        }

        return lines;
    }

    private static string Value(Match match) =>
        match.Groups["quoted"].Success ? Unquote(match.Groups["quoted"].Value) : match.Groups["bare"].Value;

    /// <summary>Expands the escapes of a Go-quoted string (<c>\n</c>, <c>\t</c>, <c>\"</c>, <c>\\</c>); any other escaped character stands for itself.</summary>
    private static string Unquote(string quoted)
    {
        var text = new System.Text.StringBuilder(quoted.Length);
        for (var i = 0; i < quoted.Length; i++)
        {
            if (quoted[i] == '\\' && i + 1 < quoted.Length)
            {
                i++;
                text.Append(quoted[i] switch { 'n' => '\n', 't' => '\t', _ => quoted[i] });
                continue;
            }

            text.Append(quoted[i]);
        }

        return text.ToString();
    }

    [GeneratedRegex("""(?<=^|\s)(?<key>[\w.]+)=(?:"(?<quoted>(?:[^"\\]|\\.)*)"|(?<bare>\S*))""")]
    private static partial Regex LogfmtField();
}
