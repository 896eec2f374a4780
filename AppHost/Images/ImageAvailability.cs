using System.Collections.Concurrent;
using System.Diagnostics;

namespace Monitoring.AppHost;

/// <summary>
/// Which components' images can be had here, asked of the container runtime before the graph is built: an image the
/// runtime holds is used as it is (pulled earlier, or provided under its official reference by
/// <c>eng/images/build.sh</c> where no registry answers); one it does not hold is pulled, and a component whose image
/// the runtime can neither find nor pull is left out of the graph, shown as "Not available here" with the runtime's
/// own answer. A pull counts as coming once the runtime says the registry has the image (it resolved the manifest and
/// starts on the layers); it then goes on in the background, and the orchestrator uses the image once it is there. A
/// pull that neither gets that far nor fails within <see cref="s_registryAnswer"/> (a registry behind a firewall that
/// drops the connection) counts as failed. Nothing is asked when the runtime does not answer at all: the start-up
/// check then stops with its own message.
/// </summary>
internal static class ImageAvailability
{
    /// <summary>How long a pull may take to show the registry has the image, or to fail.</summary>
    private static readonly TimeSpan s_registryAnswer = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// What a pull prints once the registry has answered with the image: Docker's progress lines ("v3.5.3: Pulling
    /// from prom/prometheus", "Pulling fs layer", "Already exists", "Digest: …") and Podman's ("Getting image source
    /// signatures", "Copying blob …").
    /// </summary>
    private static readonly string[] s_registryAnswered =
        [": Pulling from ", "Pulling fs layer", "Already exists", "Digest: ", "Getting image source signatures", "Copying blob", "Copying config"];

    // Asked once per process and image: an AppHost decides once, and the tests build many models in one process.
    private static readonly ConcurrentDictionary<(string Runtime, string Image), Lazy<string?>> s_answers = new();
    private static readonly ConcurrentDictionary<string, Lazy<bool>> s_answering = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<(string Runtime, string Image), Process> s_pulls = new();
    private static int s_cleanupRegistered;

    /// <summary>The images still being pulled in the background (for the start-up log).</summary>
    public static IReadOnlyList<string> Pulling => [.. s_pulls.Where(p => !HasExited(p.Value)).Select(p => p.Key.Image).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>
    /// Why each of the given components cannot run here, by component; the ones absent from the answer can.
    /// </summary>
    /// <param name="runtime">The container runtime's command (<see cref="ContainerRuntimeSelection"/>).</param>
    /// <param name="pins">The pins of the components switched on.</param>
    /// <returns>The reason of each component whose image cannot be had.</returns>
    public static IReadOnlyDictionary<string, string> UnavailableComponents(string runtime, IEnumerable<PinnedImage> pins)
    {
        ArgumentException.ThrowIfNullOrEmpty(runtime);
        ArgumentNullException.ThrowIfNull(pins);
        if (!s_answering.GetOrAdd(runtime, r => new Lazy<bool>(() => Run(r, ["container", "ls", "-n", "1"]).ExitCode == 0)).Value)
        {
            return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        }

        // The images not asked yet are asked side by side, each on a thread of its own (the caller blocks: a model is
        // built synchronously); the answers already had are read at once.
        var asked = pins.Select(p => (Pin: p, Answer: s_answers.GetOrAdd((runtime, p.OfficialReference), key => new Lazy<string?>(() => Ask(key.Runtime, key.Image)))))
            .Select(a => (a.Pin, Answer: a.Answer.IsValueCreated
                ? Task.FromResult(a.Answer.Value)
                : Task.Factory.StartNew(() => a.Answer.Value, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)))
            .ToList();
        return asked.Where(a => a.Answer.Result is not null)
            .ToDictionary(a => a.Pin.Component, a => Reason(runtime, a.Pin, a.Answer.Result!), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Makes <paramref name="runtime"/> a runtime that answers, holds every pinned image but those of
    /// <paramref name="unavailable"/>, and cannot pull those: for the model tests, which build the graph as on a machine
    /// with (or without) given images, with no runtime at all (they name a runtime that exists only here).
    /// </summary>
    /// <param name="runtime">A name no real runtime has.</param>
    /// <param name="unavailable">The registry's answer for each component whose image cannot be had, by component.</param>
    internal static void Answer(string runtime, IReadOnlyDictionary<string, string> unavailable)
    {
        s_answering[runtime] = new Lazy<bool>(() => true);
        foreach (var pin in PinnedImages.All)
        {
            var answer = unavailable.GetValueOrDefault(pin.Component);
            s_answers[(runtime, pin.OfficialReference)] = new Lazy<string?>(() => answer);
        }
    }

    /// <summary>The runtime's answer on why it cannot have the image, or <see langword="null"/> when it has it or is pulling it.</summary>
    private static string? Ask(string runtime, string image)
    {
        if (Run(runtime, ["image", "inspect", "--format", "{{.Id}}", image]).ExitCode == 0)
        {
            return null;
        }

        var info = new ProcessStartInfo(runtime, ["pull", image]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var lines = new ConcurrentQueue<string>();
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Read(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is { } line)
            {
                lines.Enqueue(line);
                if (s_registryAnswered.Any(m => line.Contains(m, StringComparison.Ordinal)))
                {
                    answered.TrySetResult();
                }
            }
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or FileNotFoundException)
        {
            return $"'{runtime}' could not be started";
        }

        process.OutputDataReceived += Read;
        process.ErrorDataReceived += Read;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = Task.WhenAny(answered.Task, exited, Task.Delay(s_registryAnswer)).Result;
        if (first == answered.Task && !exited.IsCompleted)
        {
            // The registry has it and the layers are coming. The pull goes on, and is stopped if this process ends first.
            s_pulls[(runtime, image)] = process;
            if (Interlocked.Exchange(ref s_cleanupRegistered, 1) == 0)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => StopPulls();
            }

            return null;
        }

        using (process)
        {
            if (!exited.IsCompleted)
            {
                Kill(process);
                return $"the registry did not answer within {s_registryAnswer.TotalSeconds:0} s";
            }

            process.WaitForExit();
            return process.ExitCode == 0 ? null : FirstLine(string.Join('\n', lines.Where(l => l.Contains("rror", StringComparison.Ordinal)).DefaultIfEmpty(lines.LastOrDefault() ?? "")));
        }
    }

    private static string Reason(string runtime, PinnedImage pin, string answer) =>
        $"{pin.OfficialReference} is not on this machine, and {runtime} could not pull it: {answer}. " +
        (pin.DebianPackage.Length > 0
            ? $"Where no registry answers, eng/images/build.sh provides it (from Debian {pin.DebianSuite}'s {pin.DebianPackage}). "
            : $"Debian does not package {pin.Component}: only a registry can provide it. ") +
        $"Once '{runtime} image inspect {pin.OfficialReference}' finds it, start again; or switch the component off with " +
        $"{MonitoringOptions.SectionName}:Components:{pin.Component}=false.";

    private static void StopPulls()
    {
        foreach (var pull in s_pulls.Values)
        {
            Kill(pull);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended meanwhile.
        }
    }

    private static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static (int ExitCode, string Output) Run(string runtime, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(runtime, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or FileNotFoundException)
        {
            return (-1, $"'{runtime}' could not be started");
        }

        using (process)
        {
            // Read on threads of their own: the callers block threads of the pool (a model is built synchronously).
            var stdout = Task.Factory.StartNew(process.StandardOutput.ReadToEnd, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var stderr = Task.Factory.StartNew(process.StandardError.ReadToEnd, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            if (!process.WaitForExit(s_commandTimeout))
            {
                Kill(process);
                return (-1, $"no answer within {s_commandTimeout.TotalSeconds:0} s");
            }

            return (process.ExitCode, Task.WhenAll(stdout, stderr).Wait(TimeSpan.FromSeconds(5)) ? stderr.Result + stdout.Result : "");
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()?.TrimEnd('.') ?? "no answer";
}
