using System.Diagnostics;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// The container runtime the tests use (Podman unless <c>ASPIRE_CONTAINER_RUNTIME</c> says otherwise) and the project's
/// locally built images. Tests that need them call <see cref="SkipUnlessImages"/>, so they are reported skipped, with
/// the reason, where the runtime or an image is missing.
/// </summary>
internal static class ContainerHost
{
    public const string PrometheusImage = "localhost/monitoring/prometheus:2.42.0";
    public const string AlertmanagerImage = "localhost/monitoring/alertmanager:0.25.0";
    public const string NodeExporterImage = "localhost/monitoring/node-exporter:1.5.0";
    public const string ProbesImage = "localhost/monitoring/probes:dev";
    public const string PostgresImage = "localhost/monitoring/postgres:15";
    public const string PostgresExporterImage = "localhost/monitoring/postgres-exporter:0.11.1";
    public const string BlackboxExporterImage = "localhost/monitoring/blackbox-exporter:0.23.0";

    /// <summary>Every image the graph runs here.</summary>
    public static readonly string[] AllLocalImages =
        [PrometheusImage, AlertmanagerImage, NodeExporterImage, ProbesImage, PostgresImage, PostgresExporterImage, BlackboxExporterImage];

    private static readonly Lazy<string?> s_runtimeProblem = new(FindRuntimeProblem);

    /// <summary>The runtime's command.</summary>
    public static string Runtime { get; } = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") ?? "podman";

    /// <summary>Skips the calling test unless the runtime answers and every named image exists.</summary>
    /// <param name="images">The images the test needs.</param>
    public static void SkipUnlessImages(params string[] images)
    {
        var problem = Missing(images);
        Assert.SkipWhen(problem is not null, problem ?? "");
    }

    /// <summary>Why the graph cannot run here (no runtime, or which images are missing), or <see langword="null"/>.</summary>
    public static string? MissingForGraph() => Missing(AllLocalImages);

    private static string? Missing(string[] images)
    {
        if (s_runtimeProblem.Value is not null)
        {
            return s_runtimeProblem.Value;
        }

        var missing = images.Where(i => Run(["image", "exists", i]).ExitCode != 0).ToList();
        return missing.Count > 0 ? $"Local images missing: {string.Join(", ", missing)}. Build them with eng/images/build.sh." : null;
    }

    /// <summary>Runs a tool inside an image with no network and the given folders mounted read-only.</summary>
    /// <param name="image">The image.</param>
    /// <param name="entrypoint">The tool.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="mounts">Bind mounts, host path to container path (read-only).</param>
    /// <returns>The exit code and the combined output.</returns>
    public static (int ExitCode, string Output) RunTool(string image, string entrypoint, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? mounts = null)
    {
        List<string> args = ["run", "--rm", "--network=none", "--entrypoint", entrypoint];
        foreach (var (source, target) in mounts ?? new Dictionary<string, string>())
        {
            args.AddRange(["-v", $"{source}:{target}:ro"]);
        }

        return Run([.. args, image, .. arguments]);
    }

    /// <summary>Runs the container runtime's command line.</summary>
    /// <param name="arguments">Its arguments.</param>
    /// <returns>The exit code and the combined output.</returns>
    public static (int ExitCode, string Output) Run(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(Runtime) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Runtime}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Runtime} {string.Join(' ', info.ArgumentList)} did not finish within 2 minutes.");
        }

        return (process.ExitCode, stdout + stderr.GetAwaiter().GetResult());
    }

    private static string? FindRuntimeProblem()
    {
        try
        {
            var (code, output) = Run(["info"]);
            return code == 0 ? null : $"The container runtime '{Runtime}' does not answer: {output.Split('\n')[0]}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"No container runtime: '{Runtime}' is not installed (eng/install-prereqs.sh installs Podman).";
        }
    }
}
