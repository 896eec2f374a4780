using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Monitoring.AppHost;

/// <summary>
/// Runs each component's own configuration validator (<see cref="ConfigCheckAnnotation"/>) from its image before
/// anything starts: errors the YAML parse cannot see (a PromQL typo, a route to an unknown receiver, an unknown
/// prober) stop start-up with the tool's message, naming the file on the host. An image that is not on the machine
/// yet (official images before their first pull) is not pulled for this: that component's files are parsed only,
/// and the log says so.
/// </summary>
internal static class ConfigChecks
{
    // docker and podman run exit with 125, 126 or 127 when they, not the command in the container, failed.
    private const int RuntimeFailure = 125;

    /// <summary>Adds a validator to a container resource.</summary>
    /// <typeparam name="T">The container's type.</typeparam>
    /// <param name="builder">The resource builder.</param>
    /// <param name="tool">The validator's executable in the image.</param>
    /// <param name="configFile">The file checked, relative to the folder.</param>
    /// <param name="arguments">Its arguments, with paths as the container sees them.</param>
    /// <param name="hostDirectory">The configuration folder on the host.</param>
    /// <param name="containerDirectory">Where it is mounted for the check.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<T> WithConfigCheck<T>(
        this IResourceBuilder<T> builder, string tool, string configFile, string[] arguments, string hostDirectory, string containerDirectory)
        where T : ContainerResource =>
        builder.WithAnnotation(new ConfigCheckAnnotation(tool, configFile, arguments, Path.GetFullPath(hostDirectory), containerDirectory));

    /// <summary>Runs the validators at <see cref="BeforeStartEvent"/> (register after the runtime preflight).</summary>
    /// <param name="builder">The application builder.</param>
    public static void Register(IDistributedApplicationBuilder builder) =>
        builder.Eventing.Subscribe<BeforeStartEvent>(async (e, ct) =>
        {
            var checks = e.Model.Resources.OfType<ContainerResource>()
                .SelectMany(r => r.Annotations.OfType<ConfigCheckAnnotation>().Select(c => (Resource: r, Check: c)))
                .ToList();
            if (checks.Count == 0)
            {
                return;
            }

            var cli = new ContainerCli(builder.Configuration);
            var logger = e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Monitoring");
            var failures = await Task.WhenAll(checks.Select(c => RunAsync(cli, c.Resource, c.Check, logger, ct))).ConfigureAwait(false);
            var errors = failures.OfType<string>().ToList();
            if (errors.Count > 0)
            {
                throw new DistributedApplicationException(string.Join(Environment.NewLine, errors));
            }
        });

    // The result of each check already run in this process, by everything it depends on (the runtime, the image, the
    // tool and its arguments, and every file under the folder, wherever the folder is: FolderHash): the same
    // files checked by the same image get the same result, so an app built again in the same process (the tests start
    // many, some on copies of provisioning/) does not run the container again. The message is made for each caller,
    // naming its own folder.
    private static readonly ConcurrentDictionary<string, Task<(int? ExitCode, string Output)>> s_results = new(StringComparer.Ordinal);

    private static async Task<string?> RunAsync(ContainerCli cli, ContainerResource resource, ConfigCheckAnnotation check, ILogger logger, CancellationToken ct)
    {
        var image = ContainerCli.ImageOf(resource);
        var imageId = image is null ? null : await cli.ImageIdAsync(image, ct).ConfigureAwait(false);
        if (image is null || imageId is null)
        {
            logger.LogInformation("{Resource}: {Tool} not run, the image {Image} is not on this machine yet; its files were parsed only.", resource.Name, check.Tool, image);
            return null;
        }

        var key = string.Join('\n', [cli.Runtime, imageId, check.Tool, check.ContainerDirectory, .. check.Arguments, FolderHash(check.HostDirectory)]);
        // The container runs to its end whichever caller started it: one app's start being cancelled must not fail
        // another's that waits for the same result.
        var run = s_results.GetOrAdd(key, _ => cli.RunAsync(
        [
            "run", "--rm", "--pull=never", "--network=none", "--entrypoint", check.Tool,
            "--volume", $"{check.HostDirectory}:{check.ContainerDirectory}:ro",
            image, .. check.Arguments,
        ], CancellationToken.None));
        (int? ExitCode, string Output) result;
        try
        {
            result = await run.WaitAsync(ct).ConfigureAwait(false);
        }
        catch when (run.IsFaulted)
        {
            s_results.TryRemove(new KeyValuePair<string, Task<(int?, string)>>(key, run));
            throw;
        }

        if (IsRuntimeFailure(result.ExitCode))
        {
            // Only the tool's verdicts are kept: a runtime that failed or did not answer in time is asked again next time.
            s_results.TryRemove(new KeyValuePair<string, Task<(int?, string)>>(key, run));
        }

        return Verdict(cli, resource, check, result.ExitCode, result.Output);
    }

    /// <summary>Whether the runtime itself failed (no answer, or 125-127: it could not create or start the container), not the tool.</summary>
    private static bool IsRuntimeFailure(int? exitCode) => exitCode is null or < 0 or >= RuntimeFailure;

    /// <summary>
    /// A hash of every file under a folder: its relative path, Unix mode (the tools run as <c>nobody</c>, so a file they
    /// cannot read fails them), length and content. A symbolic link is hashed as its target's content.
    /// </summary>
    private static string FolderHash(string directory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var content = File.ReadAllBytes(file);
            var mode = OperatingSystem.IsWindows() ? 0 : (int)File.GetUnixFileMode(file);
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{Path.GetRelativePath(directory, file)}\0{mode}\0{content.Length}\0"));
            hash.AppendData(content);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>The error a check's result makes for a resource, or <see langword="null"/> when the tool accepted its files.</summary>
    private static string? Verdict(ContainerCli cli, ContainerResource resource, ConfigCheckAnnotation check, int? exitCode, string output)
    {
        if (exitCode == 0)
        {
            return null;
        }

        if (IsRuntimeFailure(exitCode))
        {
            return $"{resource.Name}: {cli.Runtime} cannot start a container to run {check.Tool} (exit {exitCode}): " +
                $"{output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()}. " +
                "No container will start until this is fixed; see docs/troubleshooting.md, 'Containers do not start'.";
        }

        // The tool names files as the container sees them; the user edits them on the host.
        var lines = ValidatorOutput.ErrorLines(output)
            .Select(l => l.Replace(check.ContainerDirectory + "/", check.HostDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        var file = Path.Combine(check.HostDirectory, check.ConfigFile);
        return $"{resource.Name}: {check.Tool} rejects {file} (exit {exitCode}):{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", lines)}";
    }
}
