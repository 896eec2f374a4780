using System.Diagnostics;
using System.Text.RegularExpressions;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Config;

/// <summary>No credential is checked in: every password, secret and key is a parameter supplied at run time.</summary>
public partial class CredentialTests
{
    [Fact]
    public void No_tracked_file_holds_a_credential_literal()
    {
        var findings = new List<string>();
        foreach (var file in TrackedFiles())
        {
            var lines = File.ReadAllLines(Repo.Path(file));
            for (var i = 0; i < lines.Length; i++)
            {
                var match = CredentialAssignment().Match(lines[i]);
                if (match.Success && !IsPlaceholder(match.Groups["value"].Value))
                {
                    findings.Add($"{file}:{i + 1}: {lines[i].Trim()}");
                }

                if (lines[i].Contains("admin:admin", StringComparison.OrdinalIgnoreCase))
                {
                    findings.Add($"{file}:{i + 1}: a default admin/admin login");
                }
            }
        }

        Assert.True(findings.Count == 0, "Credential literals:\n" + string.Join('\n', findings));
    }

    [Fact]
    public void The_scan_finds_what_it_looks_for()
    {
        Assert.Matches(CredentialAssignment(), "  password: hunter22");
        Assert.Matches(CredentialAssignment(), "GF_SECURITY_ADMIN_PASSWORD=s3cr3t!");
        Assert.False(IsPlaceholder("hunter22"));
        Assert.True(IsPlaceholder("${GF_SECURITY_ADMIN_PASSWORD}"));
        Assert.True(IsPlaceholder("\"$AIRFLOW_ADMIN_PASSWORD\""));
    }

    // key = value or key: value, for keys that name a credential, with a literal value.
    [GeneratedRegex(@"(?i)\b[\w.-]*(password|passwd|secret|api_?key|token)[\w-]*\b\s*[:=]\s*(?<value>[^\s,;)]{4,})")]
    private static partial Regex CredentialAssignment();

    private static bool IsPlaceholder(string value)
    {
        var v = value.Trim('"', '\'');
        return v.StartsWith('$') || v.StartsWith('{') || v.StartsWith('<') || v.StartsWith('[') || v.StartsWith('(')
            || v.Contains("Parameter", StringComparison.Ordinal) || v is "true" or "false" or "null" or "default"
            || v.StartsWith("new", StringComparison.Ordinal) || v.StartsWith("builder", StringComparison.Ordinal);
    }

    private static IEnumerable<string> TrackedFiles()
    {
        var info = new ProcessStartInfo("git", ["-C", Repo.Root, "ls-files", "--cached", "--others", "--exclude-standard"]) { RedirectStandardOutput = true };
        using var git = Process.Start(info)!;
        var files = git.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        git.WaitForExit();
        return files.Where(f => !f.StartsWith("tests/", StringComparison.Ordinal) && File.Exists(Repo.Path(f)))
            .Where(f => Path.GetExtension(f) is ".cs" or ".json" or ".yml" or ".yaml" or ".md" or ".sh" or ".py" or ".props" or ".csproj" or ".example" or "" );
    }
}
