using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// The container runtime the tests use (as Aspire chooses it: <see cref="ContainerRuntimeSelection"/>; Podman for the
/// tests that prove it still works) and the images they need, by their official references from
/// <c>eng/images/pins.txt</c>, as every graph runs them. Tests that need images await <see cref="RequireImagesAsync"/>:
/// an image the runtime does not hold is pulled (once per run, whichever test asks first), and a test whose images can
/// be had neither way is reported skipped, naming them and the runtime's answer.
/// </summary>
internal static class ContainerHost
{
    /// <summary>Docker's command.</summary>
    public const string Docker = ContainerRuntimeSelection.Docker;

    /// <summary>Podman's command.</summary>
    public const string Podman = ContainerRuntimeSelection.Podman;

    public static readonly string PrometheusImage = PinnedImages.Of("prometheus").OfficialReference;
    public static readonly string AlertmanagerImage = PinnedImages.Of("alertmanager").OfficialReference;
    public static readonly string PostgresImage = PinnedImages.Of("postgres").OfficialReference;

    /// <summary>The base of Aspire's container tunnel, which the graphs whose containers reach a host process need.</summary>
    public const string TunnelBaseImage = "mcr.microsoft.com/azurelinux/base/core:3.0";

    /// <summary>The base of Probes' image, for the graphs that run Probes as its container.</summary>
    public static string ProbesBaseImage => ProbesBuilderExtensions.RuntimeImage;

    /// <summary>
    /// The images of the test graphs (<see cref="TestStack"/>): every component but those only the full graph runs
    /// (<see cref="TestStack.FullGraphOnly"/>), and the tunnel's base.
    /// </summary>
    public static readonly string[] GraphImages =
        [.. PinnedImages.All.Where(p => !TestStack.FullGraphOnly.Contains(p.Component)).Select(p => p.OfficialReference), TunnelBaseImage];

    /// <summary>How long a runtime command may take before its test fails.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    /// <summary>How long the pull of a missing image may take (the first run on a laptop pulls them all).</summary>
    private static readonly TimeSpan s_pullTimeout = TimeSpan.FromMinutes(30);

    private static readonly ConcurrentDictionary<string, Lazy<string?>> s_runtimeProblems = new();

    // Whether each image can be had on each runtime, asked once per run: the images are provided before the tests and
    // none of them removes one; a missing one is pulled once, whichever test needs it first, and the others wait.
    private static readonly ConcurrentDictionary<(string Runtime, string Image), Lazy<Task<string?>>> s_images = new();

    /// <summary>
    /// The default runtime's command, as Aspire chooses it for the AppHost the tests start: from the same settings (the
    /// repository's <c>.env</c>, then the environment), else the runtime that answers.
    /// </summary>
    public static string Runtime { get; } = ContainerRuntimeSelection.Resolve(AppHostSettings());

    /// <summary>Skips the calling test unless the default runtime answers and holds, or can pull, every named image.</summary>
    /// <param name="images">The images the test needs.</param>
    public static Task RequireImagesAsync(params string[] images) => RequireImagesOnAsync(Runtime, images);

    /// <summary>Skips the calling test unless <paramref name="runtime"/> answers and holds, or can pull, every named image.</summary>
    /// <param name="runtime">The runtime's command.</param>
    /// <param name="images">The images the test needs.</param>
    public static async Task RequireImagesOnAsync(string runtime, params string[] images)
    {
        var problem = await MissingAsync(runtime, images);
        Assert.SkipWhen(problem is not null, problem ?? "");
    }

    /// <summary>Why the images cannot be had on the default runtime (no runtime, or which images), or <see langword="null"/>.</summary>
    /// <param name="images">The images.</param>
    /// <returns>The reason, or <see langword="null"/>.</returns>
    public static Task<string?> MissingAsync(params string[] images) => MissingAsync(Runtime, images);

    private static async Task<string?> MissingAsync(string runtime, string[] images)
    {
        var problem = s_runtimeProblems.GetOrAdd(runtime, r => new Lazy<string?>(() => FindRuntimeProblem(r))).Value;
        if (problem is not null)
        {
            return problem;
        }

        var answers = await Task.WhenAll(images.Select(i => s_images.GetOrAdd((runtime, i), key => new Lazy<Task<string?>>(() =>
            Task.Factory.StartNew(() => Obtain(key.Runtime, key.Image), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))).Value));
        // The images grouped by the runtime's answer: where no registry answers, it is the same for all.
        var missing = images.Zip(answers).Where(a => a.Second is not null).GroupBy(a => a.Second!, a => a.First).ToList();
        return missing.Count == 0
            ? null
            : $"Images neither on {runtime} nor pullable: {string.Join("; ", missing.Select(g => $"{string.Join(", ", g)} ({runtime}: {g.Key})"))}." +
              " Where no registry answers, eng/images/build.sh provides those Debian packages.";
    }

    /// <summary>Pulls an image the runtime does not hold; <see langword="null"/> once it holds it, else the runtime's answer.</summary>
    private static string? Obtain(string runtime, string image)
    {
        if (Run(runtime, ["image", "inspect", "--format", "{{.Id}}", image]).ExitCode == 0)
        {
            return null;
        }

        Console.WriteLine($"pulling {image} with {runtime}: it is not on this machine yet");
        var (exitCode, output) = Run(runtime, ["pull", "--quiet", image], s_pullTimeout);
        return exitCode == 0 ? null : output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? $"exit {exitCode}";
    }

    /// <summary>Runs a tool inside an image with no network and the given folders mounted read-only.</summary>
    /// <param name="image">The image.</param>
    /// <param name="entrypoint">The tool.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="mounts">Bind mounts, host path to container path (read-only).</param>
    /// <param name="timeout">How long it may take (<see cref="CommandTimeout"/> if not given).</param>
    /// <param name="environment">Variables set in the container.</param>
    /// <returns>The exit code and the combined output.</returns>
    public static (int ExitCode, string Output) RunTool(
        string image, string entrypoint, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? mounts = null, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        List<string> args = ["run", "--rm", "--network=none", "--entrypoint", entrypoint];
        foreach (var (source, target) in mounts ?? new Dictionary<string, string>())
        {
            args.AddRange(["-v", $"{source}:{target}:ro"]);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            args.AddRange(["-e", $"{name}={value}"]);
        }

        return Run(Runtime, [.. args, image, .. arguments], timeout);
    }

    /// <summary>
    /// Runs a tool several times in one container, each run with its own arguments, and returns each run's exit code and
    /// output, in order: each container the runtime creates, starts and removes costs CPU, which the graphs starting
    /// beside the tests that use this need more. The image must have <c>sh</c>.
    /// </summary>
    /// <param name="image">The image.</param>
    /// <param name="tool">The tool.</param>
    /// <param name="runs">The arguments of each run.</param>
    /// <param name="mounts">Bind mounts, host path to container path (read-only).</param>
    /// <param name="timeout">How long all the runs may take (<see cref="CommandTimeout"/> if not given).</param>
    /// <param name="environment">Variables set in the container.</param>
    /// <returns>Each run's exit code and combined output.</returns>
    public static IReadOnlyList<(int ExitCode, string Output)> RunToolEach(
        string image, string tool, IReadOnlyList<IReadOnlyList<string>> runs, IReadOnlyDictionary<string, string>? mounts = null, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        const string marker = "::tool-exit";
        static string Quoted(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        var script = string.Concat(runs.Select((arguments, i) => $"{Quoted(tool)} {string.Join(' ', arguments.Select(Quoted))} 2>&1; c=$?; echo; echo \"{marker} $c {i}\"\n"));
        var (exitCode, output) = RunTool(image, "sh", ["-c", script], mounts, timeout, environment);
        Assert.True(exitCode == 0, $"The {tool} container failed (exit {exitCode}): {output}");

        var results = new (int ExitCode, string Output)?[runs.Count];
        var lines = new List<string>();
        foreach (var line in output.Split('\n'))
        {
            if (line.Split(' ') is [marker, var code, var index])
            {
                results[int.Parse(index, CultureInfo.InvariantCulture)] = (int.Parse(code, CultureInfo.InvariantCulture), string.Join('\n', lines));
                lines.Clear();
            }
            else
            {
                lines.Add(line);
            }
        }

        return [.. results.Select((r, i) => r ?? throw new InvalidOperationException($"{tool} did not report on run {i}: {output}"))];
    }

    /// <summary>Runs the default runtime's command line.</summary>
    /// <param name="arguments">Its arguments.</param>
    /// <returns>The exit code and the combined output.</returns>
    public static (int ExitCode, string Output) Run(IEnumerable<string> arguments) => Run(Runtime, arguments);

    /// <summary>
    /// Runs a command line and waits for it at most <see cref="CommandTimeout"/> (or <paramref name="timeout"/>): a
    /// command that hangs is killed and the test fails with a <see cref="TimeoutException"/> naming it.
    /// </summary>
    /// <param name="command">The command (a runtime's, or any).</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="timeout">How long it may take.</param>
    /// <param name="environment">Variables set for it.</param>
    /// <returns>The exit code and the combined output.</returns>
    public static (int ExitCode, string Output) Run(string command, IEnumerable<string> arguments, TimeSpan? timeout = null, params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {command}.");
        // Both streams are read while the process runs, so neither a full pipe nor a process that never closes them
        // can hold the wait below.
        var stdout = ReadToEndOnItsOwnThread(process.StandardOutput);
        var stderr = ReadToEndOnItsOwnThread(process.StandardError);
        var limit = timeout ?? CommandTimeout;
        if (!process.WaitForExit(limit))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended meanwhile.
            }

            throw new TimeoutException($"{command} {string.Join(' ', info.ArgumentList)} did not finish within {limit.TotalSeconds:0} s.");
        }

        // The streams end with the process; a grandchild that kept them open must not hold the test either.
        var output = Task.WhenAll(stdout, stderr).Wait(TimeSpan.FromSeconds(5)) ? stdout.Result + stderr.Result : "(output not closed)";
        return (process.ExitCode, output);
    }

    /// <summary>
    /// Reads a stream to its end on a thread of its own: the tests block threads of the pool on commands (this method's
    /// callers wait for their process), and when the pool is short of threads a read that needs one to finish could
    /// outlast the wait for the output after the process ended (seen on a fresh clone: "(output not closed)").
    /// </summary>
    internal static Task<string> ReadToEndOnItsOwnThread(StreamReader reader) =>
        Task.Factory.StartNew(reader.ReadToEnd, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static Microsoft.Extensions.Configuration.IConfiguration AppHostSettings()
    {
        var settings = new Microsoft.Extensions.Configuration.ConfigurationManager();
        DotEnvFile.AddTo(settings, Repo.Path(".env"));
        Microsoft.Extensions.Configuration.EnvironmentVariablesExtensions.AddEnvironmentVariables(settings);
        return settings;
    }

    private static string? FindRuntimeProblem(string runtime)
    {
        try
        {
            var (code, output) = Run(runtime, ["info"]);
            return code == 0 ? null : $"The container runtime '{runtime}' does not answer: {output.Split('\n')[0]}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"No container runtime: '{runtime}' is not installed (eng/install-prereqs.sh installs Docker Engine and Podman).";
        }
    }
}
