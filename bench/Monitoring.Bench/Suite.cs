using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Monitoring.Bench;

/// <summary>The README's test command, timed, split into its phases (as eng/test.sh reports them).</summary>
internal static partial class Suite
{
    public sealed record Result(double Total, double Setup, double Build, double Tests, string Counts, CpuAccounting.Result Cpu);

    public static async Task<Result> MeasureAsync()
    {
        var clock = Stopwatch.StartNew();
        await using var cpu = CpuAccounting.Start();
        var (_, output) = await Task.Run(() => ContainerHost.Run("bash", [Repo.Path("eng", "test.sh")], TimeSpan.FromMinutes(30)));
        var total = clock.Elapsed.TotalSeconds;
        var used = await cpu.StopAsync();
        var counts = output.Split('\n').LastOrDefault(l => CountsLine().IsMatch(l)) ?? "(no counts)";
        var phases = Phases().Match(output);
        // A run with failing tests is still a run: its time is reported with its counts (which show the failures).
        if (!phases.Success)
        {
            throw new InvalidOperationException($"eng/test.sh did not report its phases ({counts}):{Environment.NewLine}{string.Join(Environment.NewLine, output.Split('\n').TakeLast(40))}");
        }

        double Group(string name) => double.Parse(phases.Groups[name].Value, CultureInfo.InvariantCulture);
        return new(total, Group("setup"), Group("build"), Group("tests"), counts, used);
    }

    [GeneratedRegex(@"^\d+ passed, \d+ failed, \d+ skipped")]
    private static partial Regex CountsLine();

    // eng/test.sh's line "phases: setup 7.9 s, build 17.2 s, tests 284.9 s; details: ...".
    [GeneratedRegex(@"phases: setup (?<setup>[\d.]+) s, build (?<build>[\d.]+) s, tests (?<tests>[\d.]+) s;")]
    private static partial Regex Phases();
}
