namespace Monitoring.Kubernetes;

/// <summary>The command line: parse, export, say what was written and what to do next.</summary>
public static class ExportCommand
{
    /// <summary>Runs the command.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Where the summary goes.</param>
    /// <param name="error">Where errors go.</param>
    /// <returns>0 on success, 2 on bad input.</returns>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args is ["--help"] or ["-h"])
        {
            output.WriteLine(ExportOptions.Usage);
            return 0;
        }

        try
        {
            var options = ExportOptions.Parse(args, RepositoryRoot());
            var export = new ClusterExport(options);
            var files = export.Write();
            output.WriteLine($"Wrote {files.Count} files to {options.OutputDirectory} for release {options.Release} in namespace {options.Namespace}.");
            var keys = export.ReceiverSecretKeys();
            output.WriteLine(keys.Count == 0 ? $"Secret {export.ReceiverSecret} needs no keys (create it empty: the values mount it)." : $"Secret {export.ReceiverSecret} needs the keys: {string.Join(", ", keys)}.");
            output.WriteLine($"Secret {export.GrafanaAdminSecret} needs the keys: admin-user, admin-password.");
            output.WriteLine("Next: docs/kubernetes.md.");
            return 0;
        }
        catch (ExportException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            error.WriteLine(ExportOptions.Usage);
            return 2;
        }
    }

    /// <summary>The repository the command runs in: the nearest folder up from the current one that holds <c>provisioning/</c>.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "provisioning", "prometheus")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
