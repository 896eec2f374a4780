using System.Globalization;
using System.Text;

namespace Monitoring.Bench;

/// <summary>
/// What the stack costs on the machine: CPU and memory of every container and process, idle and under load, and what
/// Prometheus ingests at the checked-in 15 s scrape interval, with the disk that takes per day against the 15-day
/// retention.
/// </summary>
internal static class Footprint
{
    private static readonly TimeSpan s_window = TimeSpan.FromSeconds(60);

    public sealed record Usage(string Name, double CpuPercent, double MemoryMiB);

    public sealed record Result(IReadOnlyList<Usage> Idle, IReadOnlyList<Usage> Loaded, double Series, double SamplesPerSecond, string Load);

    public const string LoadDescription =
        "Probes' error-burst (half its requests fail) and latency-spike (0.5 s each), and the synthetic Airflow and Kafka " +
        "under airflow-dag-failures, kafka-lag and kafka-under-replicated";

    public static async Task<Result> MeasureAsync(CancellationToken ct)
    {
        // The checked-in intervals (15 s), the official image references, Probes as the project.
        await using var graph = await Graph.StartAsync("footprint", ct);
        var prometheus = new PrometheusApi(graph.Client("prometheus"));
        var probes = graph.Client("probes");
        // Settle: a few scrapes of every target.
        await Wait.UntilAsync("every target up, Prometheus up a minute", async c => await prometheus.CountAsync(
            "count(up == 1) >= 8 and on() (time() - process_start_time_seconds{job=\"prometheus\"}) > 60", c) > 0, TimeSpan.FromMinutes(5), ct);

        var idle = await SampleAsync(graph, ct);

        foreach (var (scenario, body) in new[]
        {
            ("error-burst", """{"durationSeconds": 600, "errorRatio": 0.5}"""), ("latency-spike", """{"durationSeconds": 600, "latencySeconds": 0.5}"""),
            ("airflow-dag-failures", """{"durationSeconds": 600}"""), ("kafka-lag", """{"durationSeconds": 600}"""), ("kafka-under-replicated", """{"durationSeconds": 600}"""),
        })
        {
            (await probes.PostAsync($"/scenarios/{scenario}", new StringContent(body, Encoding.UTF8, "application/json"), ct)).EnsureSuccessStatusCode();
        }

        var loaded = await SampleAsync(graph, ct);
        var series = await prometheus.SumAsync("prometheus_tsdb_head_series", ct);
        var samples = await prometheus.SumAsync("rate(prometheus_tsdb_head_samples_appended_total[2m])", ct);
        return new(idle, loaded, series, samples, LoadDescription);
    }

    /// <summary>CPU over the window and memory at its end, of each container (docker stats) and process (/proc).</summary>
    private static async Task<IReadOnlyList<Usage>> SampleAsync(Graph graph, CancellationToken ct)
    {
        var processes = Processes();
        var before = processes.ToDictionary(p => p.Pid, p => CpuTicks(p.Pid));
        var start = DateTime.UtcNow;
        var samples = new List<Dictionary<string, (double Cpu, double Mem)>>();
        while (DateTime.UtcNow - start < s_window)
        {
            samples.Add(await DockerStatsAsync(graph));
        }

        var elapsed = (DateTime.UtcNow - start).TotalSeconds;
        var usage = samples.SelectMany(s => s.Keys).Distinct().Order().Select(name => new Usage(name,
            samples.Where(s => s.ContainsKey(name)).Average(s => s[name].Cpu), samples.Last().GetValueOrDefault(name).Mem)).ToList();
        foreach (var (pid, name) in processes)
        {
            var ticks = CpuTicks(pid) - before[pid];
            usage.Add(new($"{name} (process)", 100.0 * ticks / 100.0 / elapsed, RssMiB(pid)));
        }

        return usage;
    }

    private static async Task<Dictionary<string, (double Cpu, double Mem)>> DockerStatsAsync(Graph graph)
    {
        var (_, output) = await Task.Run(() => ContainerHost.Run("docker", ["stats", "--no-stream", "--format", "{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}"]));
        var stats = new Dictionary<string, (double, double)>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('\t');
            if (fields.Length < 3)
            {
                continue;
            }

            // Aspire names a container after its resource, with a suffix: prometheus-abcdefgh.
            var resource = graph.Resources.FirstOrDefault(r => fields[0].StartsWith(r + "-", StringComparison.Ordinal))
                ?? (fields[0].StartsWith("tunnel-proxy", StringComparison.Ordinal) ? "tunnel-proxy" : null);
            if (resource is not null)
            {
                stats[resource] = (double.Parse(fields[1].TrimEnd('%'), CultureInfo.InvariantCulture), MiB(fields[2].Split('/')[0].Trim()));
            }
        }

        return stats;
    }

    private static double MiB(string size)
    {
        var units = new (string Suffix, double Factor)[] { ("GiB", 1024), ("MiB", 1), ("KiB", 1.0 / 1024), ("B", 1.0 / 1024 / 1024) };
        var (suffix, factor) = units.First(u => size.EndsWith(u.Suffix, StringComparison.Ordinal));
        return double.Parse(size[..^suffix.Length], CultureInfo.InvariantCulture) * factor;
    }

    /// <summary>The processes of the graph on the host: the Probes project, the orchestrator (DCP), and this one (the AppHost's code runs in it).</summary>
    private static List<(int Pid, string Name)> Processes()
    {
        var found = new List<(int, string)> { (Environment.ProcessId, "AppHost (in the bench)") };
        foreach (var dir in Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(d => d!.All(char.IsAsciiDigit)))
        {
            string cmdline;
            try
            {
                cmdline = File.ReadAllText($"/proc/{dir}/cmdline").Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue;
            }

            var name = cmdline.Contains("Probes.dll", StringComparison.Ordinal) || cmdline.Contains("/Probes ", StringComparison.Ordinal) ? "probes"
                : cmdline.Contains("dcpctrl", StringComparison.Ordinal) ? "dcpctrl (orchestrator)"
                : cmdline.Contains("/dcp ", StringComparison.Ordinal) || cmdline.Contains("/dcp start-apiserver", StringComparison.Ordinal) ? "dcp (orchestrator)"
                : cmdline.Contains("dcptun", StringComparison.Ordinal) ? "dcptun (container tunnel)"
                : null;
            if (name is not null && int.Parse(dir!, CultureInfo.InvariantCulture) != Environment.ProcessId)
            {
                found.Add((int.Parse(dir!, CultureInfo.InvariantCulture), name));
            }
        }

        return found;
    }

    private static long CpuTicks(int pid)
    {
        try
        {
            var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static double RssMiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
