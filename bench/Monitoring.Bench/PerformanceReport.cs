using System.Globalization;
using Monitoring.Bench.Exporter;
using Stubble.Core.Builders;
using Stubble.Core.Settings;

namespace Monitoring.Bench;

/// <summary>
/// docs/performance.md: bench/performance.template.md (Mustache) with the figures of one run filled in, each with its
/// reference and the ratio, and the machine it ran on. The prose is the template's; a section whose measurement did
/// not run is left out.
/// </summary>
/// <param name="path">The file written.</param>
internal sealed class PerformanceReport(string path)
{
    // The 15-day retention of the checked-in configuration, and the bytes a sample takes in Prometheus' compressed
    // blocks: "on average, Prometheus uses only around 1-2 bytes per sample" (docs/prometheus/latest/storage, capacity
    // planning); the upper end, as an estimate.
    private const double RetentionDays = 15, BytesPerSample = 2;

    /// <summary>The template.</summary>
    public static string TemplatePath { get; } = Repo.Path("bench", "performance.template.md");

    public string Path { get; } = path;

    public AlertLatency.Result? AlertLatency { get; set; }

    public Startup.Result? Startup { get; set; }

    public IReadOnlyList<ExporterComparison.Case>? Exporter { get; set; }

    public Footprint.Result? Footprint { get; set; }

    public Suite.Result? Suite { get; set; }

    public async Task WriteAsync()
    {
        var view = new Dictionary<string, object?>
        {
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["machine"] = Machine(),
            ["alert"] = AlertLatency is { } a ? AlertView(a) : null,
            ["startup"] = Startup is { } s ? StartupView(s) : null,
            ["exporter"] = Exporter is { } cases ? ExporterRows(cases) : null,
            ["hasExporter"] = Exporter is not null,
            ["exporterCases"] = Exporter?.OrderBy(c => c.Series).ThenBy(c => c.Exporter, StringComparer.Ordinal).Select(c => new Dictionary<string, object?>
            {
                ["series"] = c.Series.ToString("N0", CultureInfo.InvariantCulture), ["exporter"] = c.Exporter, ["mean"] = F(c.MeanMilliseconds, "0.00"),
                ["allocatedKiB"] = F(c.AllocatedBytes / 1024.0, "N0"), ["responseBytes"] = c.ResponseBytes.ToString("N0", CultureInfo.InvariantCulture),
            }).ToList(),
            ["footprint"] = Footprint is { } f ? FootprintView(f) : null,
            ["suite"] = Suite is { } t ? SuiteView(t) : null,
        };
        var renderer = new StubbleBuilder().Build();
        var markdown = await renderer.RenderAsync(await File.ReadAllTextAsync(TemplatePath), view, new RenderSettings { SkipHtmlEncoding = true });
        await File.WriteAllTextAsync(Path, markdown);
    }

    private static Dictionary<string, object?> AlertView(AlertLatency.Result a)
    {
        // The steps side by side, each column ending with the notification at the webhook.
        var firing = a.FiringStages.Append(new("the notification at the webhook", a.FiringMedian)).ToList();
        var resolved = a.ResolvedStages.Append(new("the notification at the webhook", a.ResolvedMedian)).ToList();
        return new()
        {
            ["trials"] = a.Trials, ["firingMedian"] = F(a.FiringMedian), ["firingP95"] = F(a.FiringP95), ["firingFloor"] = F(a.FiringFloor),
            ["firingRatio"] = F(a.FiringMedian / a.FiringFloor, "0.00"), ["firingFloorWithWindow"] = F(a.FiringFloorWithWindow),
            ["firingRatioWithWindow"] = F(a.FiringMedian / a.FiringFloorWithWindow, "0.00"), ["resolvedMedian"] = F(a.ResolvedMedian),
            ["resolvedP95"] = F(a.ResolvedP95), ["resolvedFloor"] = F(a.ResolvedFloor), ["resolvedRatio"] = F(a.ResolvedMedian / a.ResolvedFloor, "0.00"),
            ["failingShare"] = F(a.FailingShare, "0.00"), ["crossing"] = F(a.FiringFloorWithWindow - a.FiringFloor), ["heldForGroupWait"] = a.TrialsHeldForGroupWait,
            ["steps"] = Enumerable.Range(0, Math.Max(firing.Count, resolved.Count)).Select(i => new Dictionary<string, object?>
            {
                ["firingStep"] = i < firing.Count ? firing[i].Name : "", ["firing"] = i < firing.Count ? F(firing[i].Median) : "",
                ["resolvedStep"] = i < resolved.Count ? resolved[i].Name : "", ["resolved"] = i < resolved.Count ? F(resolved[i].Median) : "",
            }).ToList(),
        };
    }

    private static Dictionary<string, object?> StartupView(Startup.Result s) => new()
    {
        ["trials"] = s.Trials, ["appHost"] = F(s.AppHost), ["plain"] = F(s.Plain), ["ratio"] = F(s.AppHost / s.Plain, "0.00"),
        ["resources"] = string.Join(", ", s.Timeline.Select(r => r.Name).Where(n => n != "probes")), ["build"] = F(s.Build),
        ["modelBuild"] = F(s.ModelBuild), ["checks"] = F(s.Checks), ["waiting"] = F(s.Waiting), ["health"] = F(s.Health),
        ["timeline"] = s.Timeline.Select(r => new Dictionary<string, object?>
        {
            ["name"] = r.Name, ["starting"] = F(r.Starting), ["running"] = F(r.Running), ["healthy"] = F(r.Healthy),
        }).ToList(),
    };

    private static List<Dictionary<string, object?>> ExporterRows(IReadOnlyList<ExporterComparison.Case> cases) =>
        [.. cases.Select(c => c.Series).Distinct().Order().Select(series =>
        {
            var otel = cases.Single(c => c.Series == series && c.Exporter == ExporterBenchmarks.OpenTelemetryExporter);
            var reference = cases.Single(c => c.Series == series && c.Exporter == ExporterBenchmarks.PrometheusNet);
            return new Dictionary<string, object?>
            {
                ["series"] = series.ToString("N0", CultureInfo.InvariantCulture), ["otelMean"] = F(otel.MeanMilliseconds, "0.00"),
                ["otelKiB"] = F(otel.AllocatedBytes / 1024.0, "N0"), ["referenceMean"] = F(reference.MeanMilliseconds, "0.00"),
                ["referenceKiB"] = F(reference.AllocatedBytes / 1024.0, "N0"), ["ratio"] = F(otel.MeanMilliseconds / reference.MeanMilliseconds, "0.00"),
                ["goal"] = series == 10_000 ? "≤ 1× at 10k" : "",
            };
        })];

    private static Dictionary<string, object?> FootprintView(Footprint.Result f)
    {
        var perDay = f.SamplesPerSecond * 86_400 * BytesPerSample;
        return new()
        {
            ["samplesPerSecond"] = F(f.SamplesPerSecond, "0"), ["series"] = F(f.Series, "N0"), ["diskPerDayMiB"] = F(perDay / 1024 / 1024, "0"),
            ["diskRetentionGiB"] = F(perDay * RetentionDays / 1024 / 1024 / 1024, "0.00"), ["retentionDays"] = RetentionDays, ["bytesPerSample"] = BytesPerSample,
            ["memoryIdle"] = F(f.Idle.Sum(u => u.MemoryMiB), "0"), ["memoryLoaded"] = F(f.Loaded.Sum(u => u.MemoryMiB), "0"),
            ["cpuIdle"] = F(f.Idle.Sum(u => u.CpuPercent), "0"), ["cpuLoaded"] = F(f.Loaded.Sum(u => u.CpuPercent), "0"), ["load"] = f.Load,
            ["usage"] = f.Idle.Select(u => u.Name).Union(f.Loaded.Select(u => u.Name)).Order(StringComparer.Ordinal).Select(name =>
            {
                var idle = f.Idle.FirstOrDefault(u => u.Name == name);
                var loaded = f.Loaded.FirstOrDefault(u => u.Name == name);
                return new Dictionary<string, object?>
                {
                    ["name"] = name, ["cpuIdle"] = F(idle?.CpuPercent), ["cpuLoaded"] = F(loaded?.CpuPercent),
                    ["memoryIdle"] = F(idle?.MemoryMiB, "0"), ["memoryLoaded"] = F(loaded?.MemoryMiB, "0"),
                };
            }).ToList(),
        };
    }

    private static Dictionary<string, object?> SuiteView(Suite.Result t)
    {
        var c = t.Cpu;
        var commands = c.ByCommand.Take(12).ToList();
        var rest = c.BusyCoreSeconds - commands.Sum(x => x.CoreSeconds);
        return new()
        {
            ["total"] = $"{(int)(t.Total / 60)}:{(int)(t.Total % 60):00}", ["counts"] = t.Counts, ["ratio"] = F(t.Total / 150, "0.00"),
            ["setup"] = F(t.Setup), ["build"] = F(t.Build), ["tests"] = F(t.Tests), ["totalSeconds"] = F(t.Total),
            ["cores"] = Environment.ProcessorCount, ["busy"] = F(c.BusyCoreSeconds, "0"), ["available"] = F(c.AvailableCoreSeconds, "0"),
            ["busyPercent"] = F(100 * c.BusyCoreSeconds / c.AvailableCoreSeconds, "0"), ["busyAlone"] = F(c.BusyCoreSeconds / Environment.ProcessorCount, "0"),
            ["cpuBound"] = c.BusyCoreSeconds / c.AvailableCoreSeconds >= 0.8,
            ["commands"] = commands.Select(x => new Dictionary<string, object?>
            {
                ["command"] = x.Command, ["seconds"] = F(x.CoreSeconds), ["share"] = F(100 * x.CoreSeconds / c.BusyCoreSeconds, "0"),
            }).ToList(),
            ["restSeconds"] = F(rest), ["restShare"] = F(100 * rest / c.BusyCoreSeconds, "0"),
        };
    }

    /// <summary>A figure as the document shows it (invariant culture; empty when there is none).</summary>
    private static string F(double? value, string format = "0.0") => value?.ToString(format, CultureInfo.InvariantCulture) ?? "";

    private static string Machine()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "unknown CPU";
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var (_, docker) = ContainerHost.Run("docker", ["version", "--format", "{{.Server.Version}}"]);
        return $"{Environment.ProcessorCount} cores ({cpu}), {double.Parse(memory, CultureInfo.InvariantCulture) / 1024 / 1024:0} GiB, " +
            $"Docker Engine {docker.Trim()}, .NET {Environment.Version}";
    }
}
