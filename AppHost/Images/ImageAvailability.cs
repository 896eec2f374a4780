using System.Collections.Concurrent;
using System.Diagnostics;

namespace Monitoring.AppHost;

/// <summary>
/// Which components' images can be had here, asked of the container runtime before the graph is built: an image the
/// runtime holds is used as it is (pulled earlier, or provided under its official reference by
/// <c>eng/images/build.sh</c> where no registry answers); one it does not hold is pulled, and a component whose image
/// the runtime can neither find nor pull is left out of the graph, shown as "Not available here" with the runtime's
/// own answer. A pull that is still downloading after a few seconds is left to go on in the background: the registry
/// answered, and the orchestrator uses the image once it is there. Nothing is asked when the runtime does not answer
/// at all: the start-up check then stops with its own message.
/// </summary>
internal static class ImageAvailability
{
    /// <summary>How long a pull may take to say whether the registry has the image before it is taken as coming.</summary>
    private static readonly TimeSpan s_pullVerdict = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(30);

    // Asked once per process and image: an AppHost decides once, and the tests build many models in one process.
    private static readonly ConcurrentDictionary<(string Runtime, string Image), Lazy<string?>> s_answers = new();
    private static readonly ConcurrentDictionary<string, Lazy<bool>> s_answering = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Process> s_pulls = new(StringComparer.Ordinal);
    private static int s_cleanupRegistered;

    /// <summary>The images still being pulled in the background (for the start-up log).</summary>
    public static IReadOnlyList<string> Pulling => [.. s_pulls.Where(p => !HasExited(p.Value)).Select(p => p.Key).Order(StringComparer.Ordinal)];

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
        if (!s_answering.GetOrAdd(runtime, r => new Lazy<bool>(() => Run(r, ["container", "ls", "-n", "1"], s_commandTimeout).ExitCode == 0)).Value)
        {
            return new Dictionary<string, string>();
        }

        var asked = pins.Select(p => (Pin: p, Answer: Task.Run(() => s_answers.GetOrAdd((runtime, p.OfficialReference), key => new Lazy<string?>(() => Ask(key.Runtime, key.Image))).Value)))
            .ToList();
        return asked.Where(a => a.Answer.Result is not null).ToDictionary(a => a.Pin.Component, a => Reason(runtime, a.Pin, a.Answer.Result!));
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
        if (Run(runtime, ["image", "inspect", "--format", "{{.Id}}", image], s_commandTimeout).ExitCode == 0)
        {
            return null;
        }

        var pull = Start(runtime, ["pull", "--quiet", image]);
        if (pull is null)
        {
            return $"'{runtime}' could not be started";
        }

        if (!pull.Process.WaitForExit(s_pullVerdict))
        {
            // Downloading: the registry has it. The pull goes on, and is stopped if this process ends first.
            s_pulls[image] = pull.Process;
            if (Interlocked.Exchange(ref s_cleanupRegistered, 1) == 0)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => StopPulls();
            }

            return null;
        }

        using (pull.Process)
        {
            var output = pull.Output();
            return pull.Process.ExitCode == 0 ? null : FirstLine(output);
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
        foreach (var pull in s_pulls.Values.Where(p => !HasExited(p)))
        {
            try
            {
                pull.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended meanwhile.
            }
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

    private static (int ExitCode, string Output) Run(string runtime, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var started = Start(runtime, arguments);
        if (started is null)
        {
            return (-1, $"'{runtime}' could not be started");
        }

        using var process = started.Process;
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"no answer within {timeout.TotalSeconds:0} s");
        }

        return (process.ExitCode, started.Output());
    }

    private static Started? Start(string runtime, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(runtime, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        try
        {
            var process = Process.Start(info);
            return process is null ? null : new Started(process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or FileNotFoundException)
        {
            return null;
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()?.TrimEnd('.') ?? "no answer";

    private sealed record Started(Process Process, Task<string> Stdout, Task<string> Stderr)
    {
        public string Output() => Task.WhenAll(Stdout, Stderr).Wait(TimeSpan.FromSeconds(5)) ? Stderr.Result + Stdout.Result : "";
    }
}
