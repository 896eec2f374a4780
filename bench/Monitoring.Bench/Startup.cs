using System.Diagnostics;

namespace Monitoring.Bench;

/// <summary>
/// Launch to every resource healthy through the AppHost (its default graph, the official image references), against the
/// same containers started by plain <c>docker run</c> (<see cref="PlainDocker"/>: what the trial's AppHost ran, read
/// back from Docker), each the median of a few trials; the AppHost's time split into named parts.
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
            PlainDocker reference;
            await using (var graph = await Graph.StartAsync("startup", ct))
            {
                var total = graph.Healthy.TotalSeconds;
                var firstStart = graph.Timeline.Values.Where(t => t.Starting > TimeSpan.Zero).Min(t => t.Starting).TotalSeconds;
                var lastStart = graph.Timeline.Values.Max(t => t.Starting).TotalSeconds;
                apphost.Add((total, graph.ModelBuilt.TotalSeconds, firstStart - graph.ModelBuilt.TotalSeconds, lastStart - firstStart, total - lastStart, graph.Timeline));
                // The reference is what this trial's AppHost ran, read back while it runs.
                reference = await PlainDocker.CaptureAsync(graph);
            }

            try
            {
                plain.Add(await reference.RunAsync(ct));
            }
            finally
            {
                reference.Delete();
            }

            Console.WriteLine($"  trial {trial + 1}: AppHost {apphost[^1].Total:0.0} s, plain docker run {plain[^1]:0.0} s");
        }

        var median = apphost.OrderBy(t => t.Total).ElementAt(apphost.Count / 2);
        return new(trials, buildSeconds, median.Total, median.Model, median.Checks, median.Waiting, median.Health, AlertLatency.Percentile(plain, 0.5),
            median.Timeline.OrderBy(t => t.Value.Starting).Select(t => new ResourceTimes(t.Key, t.Value.Starting.TotalSeconds, t.Value.Running.TotalSeconds, t.Value.Healthy.TotalSeconds)).ToList());
    }
}
