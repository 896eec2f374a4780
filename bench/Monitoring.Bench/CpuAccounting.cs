using System.Globalization;

namespace Monitoring.Bench;

/// <summary>
/// Where the machine's CPU goes while something runs: the busy time of every core (<c>/proc/stat</c>), and each
/// process's own CPU (<c>utime + stime</c> of <c>/proc/PID/stat</c>) sampled every second and summed by command name.
/// A process that existed before counts only what it used since. A process that lives less than a second (each CLI
/// call an orchestrator makes, for instance) is not seen on its own: its CPU is in the busy total, and so in the
/// remainder, not in any row.
/// </summary>
internal sealed class CpuAccounting : IAsyncDisposable
{
    public sealed record Result(double BusyCoreSeconds, double AvailableCoreSeconds, IReadOnlyList<(string Command, double CoreSeconds)> ByCommand);

    private static readonly double s_ticksPerSecond = 100; // USER_HZ on Linux

    private readonly Dictionary<(int Pid, long Start), (string Command, long First, long Last)> _processes = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly DateTime _started = DateTime.UtcNow;
    private readonly (long Busy, long Total) _before = Machine();
    private readonly Task _sampling;

    private CpuAccounting()
    {
        foreach (var (key, command, ticks) in Snapshot())
        {
            _processes[key] = (command, ticks, ticks);
        }

        _sampling = Task.Run(SampleAsync);
    }

    /// <summary>Starts accounting now.</summary>
    public static CpuAccounting Start() => new();

    /// <summary>Stops accounting and says where the CPU went.</summary>
    public async Task<Result> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        Sample();
        var after = Machine();
        var elapsed = (DateTime.UtcNow - _started).TotalSeconds;
        var byCommand = _processes.Values
            .GroupBy(p => p.Command)
            .Select(g => (Command: g.Key, CoreSeconds: g.Sum(p => p.Last - p.First) / s_ticksPerSecond))
            .Where(c => c.CoreSeconds > 0)
            .OrderByDescending(c => c.CoreSeconds)
            .ToList();
        return new((after.Busy - _before.Busy) / s_ticksPerSecond, elapsed * Environment.ProcessorCount, byCommand);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private void Sample()
    {
        foreach (var (key, command, ticks) in Snapshot())
        {
            // The latest name: a container's process is named runc's until it executes the container's command.
            _processes[key] = _processes.TryGetValue(key, out var seen) ? seen with { Command = command, Last = ticks } : (command, 0, ticks);
        }
    }

    /// <summary>Every process now: its pid and start time (a pid can be reused), command name and CPU ticks.</summary>
    private static List<((int, long), string, long)> Snapshot()
    {
        var processes = new List<((int, long), string, long)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                // pid (comm) state ppid ... : the command may hold spaces and parentheses, so split at the last ')'.
                var stat = File.ReadAllText($"{dir}/stat");
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ');
                // Fields after the command, from 0: state (0) ... utime (11), stime (12) ... starttime (19).
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                var command = stat[(open + 1)..close];
                processes.Add(((pid, long.Parse(fields[19], CultureInfo.InvariantCulture)), command == "dotnet" ? Dotnet(dir) : command, ticks));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // Gone meanwhile.
            }
        }

        return processes;
    }

    /// <summary>
    /// What a <c>dotnet</c> process runs: its command (<c>dotnet run</c>, <c>dotnet test</c>) or the program it executes
    /// (<c>dotnet MSBuild.dll</c>, <c>dotnet vstest.console.dll</c>), so the SDK's processes are told apart.
    /// </summary>
    private static string Dotnet(string dir)
    {
        var args = File.ReadAllText($"{dir}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        var skip = args.FirstOrDefault() == "exec" ? 1 : 0;
        // dotnet exec [--runtimeconfig X --depsfile Y ...] program.dll
        var what = args.Skip(skip).Where((a, i) => !a.StartsWith('-') && (i == 0 || !args[skip + i - 1].StartsWith("--", StringComparison.Ordinal)))
            .FirstOrDefault() ?? "";
        return $"dotnet {Path.GetFileName(what)}".TrimEnd();
    }

    /// <summary>The machine's busy and total CPU ticks over all cores.</summary>
    private static (long Busy, long Total) Machine()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
        var total = fields.Take(8).Sum();
        return (total - fields[3] - fields[4], total);
    }
}
