using System.Diagnostics;
using System.Globalization;

namespace Monitoring.Bench;

/// <summary>
/// Launch to every resource healthy through the AppHost (its default graph, the official image references), against the same
/// images, arguments and mounts started by plain <c>docker run</c> (bench/startup-plain.sh), each the median of a few
/// trials; the AppHost's time split into named parts.
/// </summary>
internal static class Startup
{
    public sealed record ResourceTimes(string Name, double Starting, double Running, double Healthy);

    /// <summary>The medians, and the timeline of the median trial.</summary>
    public sealed record Result(int Trials, double Build, double AppHost, double ModelBuild, double Checks, double Waiting, double Health, double Plain,
        IReadOnlyList<ResourceTimes> Timeline);

    public static async Task<Result> MeasureAsync(int trials, CancellationToken ct)
    {
        // What F5 does first: an incremental build of the AppHost (and Probes), nothing changed.
        var build = Stopwatch.StartNew();
        var (buildExit, buildOutput) = ContainerHost.Run("dotnet", ["build", Repo.Path("AppHost"), "--nologo", "-v", "quiet"], TimeSpan.FromMinutes(5));
        if (buildExit != 0)
        {
            throw new InvalidOperationException($"dotnet build AppHost failed:{Environment.NewLine}{buildOutput}");
        }

        var buildSeconds = build.Elapsed.TotalSeconds;
        var apphost = new List<(double Total, double Model, double Checks, double Waiting, double Health, Dictionary<string, (TimeSpan Starting, TimeSpan Running, TimeSpan Healthy)> Timeline)>();
        var plain = new List<double>();
        for (var trial = 0; trial < trials; trial++)
        {
            var clock = Stopwatch.StartNew();
            IReadOnlyList<string> ran;
            await using (var graph = await Graph.StartAsync("startup", ct))
            {
                ran = graph.Resources;
                var total = clock.Elapsed.TotalSeconds;
                var firstStart = graph.Timeline.Values.Where(t => t.Starting > TimeSpan.Zero).Min(t => t.Starting).TotalSeconds;
                var lastStart = graph.Timeline.Values.Max(t => t.Starting).TotalSeconds;
                apphost.Add((total, graph.ModelBuilt.TotalSeconds, firstStart - graph.ModelBuilt.TotalSeconds, lastStart - firstStart, total - lastStart, graph.Timeline));
            }

            var (exit, output) = ContainerHost.Run("bash", [Repo.Path("bench", "startup-plain.sh")], TimeSpan.FromMinutes(6));
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("ready ", StringComparison.Ordinal));
            if (exit != 0 || line is null)
            {
                throw new InvalidOperationException($"bench/startup-plain.sh failed:{Environment.NewLine}{output}");
            }

            // The reference starts what the AppHost ran, or it is no reference: a component added to the AppHost needs
            // its line in the script.
            var started = output.Split('\n').FirstOrDefault(l => l.StartsWith("started ", StringComparison.Ordinal))?["started ".Length..].Split(' ') ?? [];
            var missing = ran.Except(started).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidOperationException(
                    $"bench/startup-plain.sh does not start {string.Join(", ", missing)}, which the AppHost ran: add a `run` line and a readiness probe for each.");
            }

            plain.Add(double.Parse(line["ready ".Length..], CultureInfo.InvariantCulture));
            Console.WriteLine($"  trial {trial + 1}: AppHost {apphost[^1].Total:0.0} s, plain docker run {plain[^1]:0.0} s");
        }

        var median = apphost.OrderBy(t => t.Total).ElementAt(apphost.Count / 2);
        return new(trials, buildSeconds, median.Total, median.Model, median.Checks, median.Waiting, median.Health, AlertLatency.Percentile(plain, 0.5),
            median.Timeline.OrderBy(t => t.Value.Starting).Select(t => new ResourceTimes(t.Key, t.Value.Starting.TotalSeconds, t.Value.Running.TotalSeconds, t.Value.Healthy.TotalSeconds)).ToList());
    }
}
