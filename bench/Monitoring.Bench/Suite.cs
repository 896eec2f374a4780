using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Monitoring.Bench;

/// <summary>The README's test command, timed, split into its phases (as eng/test.sh reports them).</summary>
internal static partial class Suite
{
    public sealed record Result(double Total, double Setup, double Build, double Tests, double UnitSpan, double EndToEndSpan, string Counts, CpuAccounting.Result Cpu);

    public static async Task<Result> MeasureAsync()
    {
        var clock = Stopwatch.StartNew();
        await using var cpu = CpuAccounting.Start();
        var (_, output) = await Shell.RunAsync("bash", [Path.Combine(Shell.RepoRoot, "eng", "test.sh")], TimeSpan.FromMinutes(30), Shell.RepoRoot);
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
        return new(total, Group("setup"), Group("build"), Group("tests"), Group("unit"), Group("e2e"), counts, used);
    }

    [GeneratedRegex(@"^\d+ passed, \d+ failed, \d+ skipped")]
    private static partial Regex CountsLine();

    [GeneratedRegex(@"phases: setup (?<setup>[\d.]+) s, restore and build (?<build>[\d.]+) s, tests (?<tests>[\d.]+) s \(unit tests done after (?<unit>[\d.]+) s, end-to-end after (?<e2e>[\d.]+) s\)")]
    private static partial Regex Phases();
}
