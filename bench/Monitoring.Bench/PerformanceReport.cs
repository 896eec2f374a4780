using System.Globalization;
using System.Text;
using Monitoring.Bench.Exporter;

namespace Monitoring.Bench;

/// <summary>docs/performance.md: each figure with its reference and the ratio, from one run, and the machine it ran on.</summary>
/// <param name="path">The file written.</param>
internal sealed class PerformanceReport(string path)
{
    // The 15-day retention of the checked-in configuration, and the bytes a sample takes in Prometheus' compressed
    // blocks: "on average, Prometheus uses only around 1-2 bytes per sample" (docs/prometheus/latest/storage, capacity
    // planning); the upper end, as an estimate.
    private const double RetentionDays = 15, BytesPerSample = 2;

    public string Path { get; } = path;

    public AlertLatency.Result? AlertLatency { get; set; }

    public Startup.Result? Startup { get; set; }

    public IReadOnlyList<ExporterComparison.Case>? Exporter { get; set; }

    public Footprint.Result? Footprint { get; set; }

    public Suite.Result? Suite { get; set; }

    public async Task WriteAsync()
    {
        var md = new StringBuilder();
        md.AppendLine("# Performance");
        md.AppendLine();
        md.AppendLine($"Measured by `eng/bench.sh` on {DateTime.UtcNow:yyyy-MM-dd} on {await MachineAsync()}. Every figure has its");
        md.AppendLine("reference measured in the same run on the same machine; benchmarks report, they do not fail CI.");
        md.AppendLine();
        md.AppendLine("| Figure | Measured | Reference | Ratio | Goal |");
        md.AppendLine("|---|---|---|---|---|");
        if (AlertLatency is { } a)
        {
            Row(md, "Alert latency, fault to firing notification (median; p95)", $"{a.FiringMedian:0.0} s; {a.FiringP95:0.0} s",
                $"floor {a.FiringFloor:0.0} s (scrape + evaluation + `for` + group_wait)", a.FiringMedian / a.FiringFloor, "≤ 1.2×");
            Row(md, "Alert latency, fault to firing notification, against the floor plus the rule's own crossing time (median)", $"{a.FiringMedian:0.0} s",
                $"{a.FiringFloorWithWindow:0.0} s (the floor + 60 s × 5% / the share of requests failing)", a.FiringMedian / a.FiringFloorWithWindow, "≤ 1.2×");
            Row(md, "Alert latency, fault ended to resolution (median; p95)", $"{a.ResolvedMedian:0.0} s; {a.ResolvedP95:0.0} s",
                $"floor {a.ResolvedFloor:0.0} s (the errors leaving the rule's 1m window until under 5% remain, + evaluation + group_interval)", a.ResolvedMedian / a.ResolvedFloor, "≤ 1.2×");
        }

        if (Startup is { } s)
        {
            Row(md, "Start-up, launch to every resource healthy (median)", $"{s.AppHost:0.0} s", $"{s.Plain:0.0} s, the same images by plain `docker run`",
                s.AppHost / s.Plain, "≤ 1.25×");
        }

        if (Exporter is { } cases)
        {
            foreach (var series in cases.Select(c => c.Series).Distinct().Order())
            {
                var otel = cases.Single(c => c.Series == series && c.Exporter == ExporterBenchmarks.OpenTelemetryExporter);
                var reference = cases.Single(c => c.Series == series && c.Exporter == ExporterBenchmarks.PrometheusNet);
                Row(md, $"`/metrics` scrape of {series:N0} series, OpenTelemetry exporter: latency; allocated",
                    $"{otel.MeanMilliseconds:0.00} ms; {otel.AllocatedBytes / 1024.0:N0} KiB", $"{reference.MeanMilliseconds:0.00} ms; {reference.AllocatedBytes / 1024.0:N0} KiB (prometheus-net)",
                    otel.MeanMilliseconds / reference.MeanMilliseconds, series == 10_000 ? "≤ 1× at 10k" : "");
            }
        }

        if (Footprint is { } f)
        {
            var perDay = f.SamplesPerSecond * 86_400 * BytesPerSample;
            Row(md, "Samples ingested at the 15 s scrape interval", $"{f.SamplesPerSecond:0} /s ({f.Series:N0} series)", "", null, "");
            Row(md, "Disk Prometheus uses per day (estimate)", $"{perDay / 1024 / 1024:0} MiB", $"{perDay * RetentionDays / 1024 / 1024 / 1024:0.00} GiB for the 15-day retention", null, "");
            Row(md, "Memory of the whole stack, idle; under load", $"{f.Idle.Sum(u => u.MemoryMiB):0} MiB; {f.Loaded.Sum(u => u.MemoryMiB):0} MiB", "", null, "");
            Row(md, "CPU of the whole stack, idle; under load", $"{f.Idle.Sum(u => u.CpuPercent):0} %; {f.Loaded.Sum(u => u.CpuPercent):0} % of one core", "", null, "");
        }

        if (Suite is { } t)
        {
            Row(md, "README test command, images built", $"{(int)(t.Total / 60)}:{(int)(t.Total % 60):00} ({t.Counts})", "2:30", t.Total / 150, "≤ 1× (under 2 min 30 s)");
        }

        md.AppendLine();
        Details(md);
        await File.WriteAllTextAsync(Path, md.ToString());
    }

    private void Details(StringBuilder md)
    {
        if (AlertLatency is { } a)
        {
            md.AppendLine("## Alert latency");
            md.AppendLine();
            md.AppendLine($"{a.Trials} trials on a graph with test-scale timers: scrape and evaluation every 1 s, `for` at most 2 s");
            md.AppendLine("(`Monitoring:MaxAlertFor`), group_wait and group_interval at most 1 s (`Monitoring:MaxGroupInterval`), resend");
            md.AppendLine("delay 1 s. The fault is Probes' `error-burst`: every `GET /work` answers 500; the alert is ServiceHighErrorRatio");
            md.AppendLine("(5xx over all requests, `rate()` over 1m, above 5%), read from ASP.NET Core's own request metric.");
            md.AppendLine();
            md.AppendLine("Where the time goes, median seconds from the fault's start (and from its end) until each step held, polled every");
            md.AppendLine("100 ms from Prometheus' and Alertmanager's APIs:");
            md.AppendLine();
            md.AppendLine("| Step | Firing | | Step | Resolution |");
            md.AppendLine("|---|---|---|---|---|");
            for (var i = 0; i < Math.Max(a.FiringStages.Count, a.ResolvedStages.Count) + 1; i++)
            {
                string Cell(IReadOnlyList<AlertLatency.Stage> stages, double total) =>
                    i < stages.Count ? $"{stages[i].Name} | {stages[i].Median:0.0}" : i == stages.Count ? $"the notification at the webhook | {total:0.0}" : " | ";
                md.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(a.FiringStages, a.FiringMedian)} | | {Cell(a.ResolvedStages, a.ResolvedMedian)} |");
            }

            md.AppendLine();
            md.AppendLine("Reading the steps: the errors reach Prometheus at its next scrape (at most 1 s; ASP.NET Core records a request as");
            md.AppendLine("it ends, and the OpenTelemetry exporter's response cache holds a scrape at most 300 ms). The rule turns true once");
            md.AppendLine("the 5xx share over its 1m window passes 5%: with a share f of the requests failing, that takes 60 × 0.05 / f");
            md.AppendLine(CultureInfo.InvariantCulture, $"seconds of errors, here f = {a.FailingShare:0.00} (Probes' scrapes and health checks keep succeeding), so");
            md.AppendLine(CultureInfo.InvariantCulture, $"{a.FiringFloorWithWindow - a.FiringFloor:0.0} s, plus the evaluation that sees it. The `for` adds 2 s, rounded up to an evaluation. Prometheus hands");
            md.AppendLine("the alert to Alertmanager at once. Each trial starts more than 30 s after the resolution before it, once");
            md.AppendLine("Alertmanager's maintenance tick has dropped the emptied group (dispatch.go, v0.28.1), so the alert meets a new group");
            md.AppendLine(CultureInfo.InvariantCulture, $"whose group_wait (1 s) should hold it, as a user's first alert is held; {a.TrialsHeldForGroupWait} of the {a.Trials} trials were held about that long, the");
            md.AppendLine("others sent at once (why was not established here; the floor counts group_wait whole either way).");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"So the time these timers and this rule allow is the floor plus that crossing, {a.FiringFloorWithWindow:0.0} s (each interval");
            md.AppendLine(CultureInfo.InvariantCulture, $"counted whole, as in the floor; a median waits half of each on average): measured / that = {a.FiringMedian / a.FiringFloorWithWindow:0.00}×.");
            md.AppendLine("What remains above the floor is the crossing, a property of the rule rather than of the");
            md.AppendLine("plumbing: it shrinks only with a shorter window or a lower threshold, which would page on blips (at the users' 15 s");
            md.AppendLine("scrapes the 1m window is four scrapes, the least Prometheus advises for `rate()`). Resolution is the same crossing in");
            md.AppendLine("reverse: the rule stays true until less than 5% of the requests in its window failed, about a minute after the");
            md.AppendLine("fault ends, whatever the timers.");
            md.AppendLine();
        }

        if (Startup is { } s)
        {
            md.AppendLine("## Start-up");
            md.AppendLine();
            md.AppendLine($"Median of {s.Trials} trials of the AppHost's default graph, the official image references (Prometheus, Alertmanager,");
            md.AppendLine("node-exporter, Postgres, postgres-exporter, blackbox-exporter, Probes as the project), against");
            md.AppendLine("`bench/startup-plain.sh`: the same images, arguments and mounts by `docker run`, polling the same readiness endpoints");
            md.AppendLine("(Probes as its container there). Where the AppHost's time goes:");
            md.AppendLine();
            md.AppendLine("| Part | Seconds |");
            md.AppendLine("|---|---|");
            md.AppendLine(CultureInfo.InvariantCulture, $"| Build (`dotnet build AppHost`, nothing changed; F5 does it first, not in the total) | {s.Build:0.0} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| Model built (AppHost code, configuration, provisioning files parsed) | {s.ModelBuild:0.0} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| Orchestrator (DCP) start and the start-up checks (runtime, images, promtool, amtool, blackbox `--config.check`), until the first resource starts | {s.Checks:0.0} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| Until the last resource starts: `WaitFor` (Postgres → postgres-exporter → Prometheus), and the container tunnel the containers that reach Probes wait for | {s.Waiting:0.0} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| From the last start to every resource healthy (health checks back off 1, 2, 3 … s while unhealthy) | {s.Health:0.0} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| Total | {s.AppHost:0.0} |");
            md.AppendLine();
            md.AppendLine("The median trial, resource by resource (seconds from launch):");
            md.AppendLine();
            md.AppendLine("| Resource | Starting | Running | Healthy |");
            md.AppendLine("|---|---|---|---|");
            foreach (var r in s.Timeline)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Starting:0.0} | {r.Running:0.0} | {r.Healthy:0.0} |");
            }

            md.AppendLine();
        }

        if (Exporter is { } cases)
        {
            md.AppendLine("## `/metrics`: OpenTelemetry's Prometheus exporter against prometheus-net");
            md.AppendLine();
            md.AppendLine("One `GET /metrics` of a Kestrel server on loopback holding that many counter series (one label), BenchmarkDotNet");
            md.AppendLine("short run, in process (the allocations are the server's and the client's together); the OpenTelemetry exporter");
            md.AppendLine("with its response cache off, as prometheus-net has none.");
            md.AppendLine();
            md.AppendLine("| Series | Exporter | Mean | Allocated | Bytes per scrape |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var c in cases.OrderBy(c => c.Series).ThenBy(c => c.Exporter, StringComparer.Ordinal))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {c.Series:N0} | {c.Exporter} | {c.MeanMilliseconds:0.00} ms | {c.AllocatedBytes / 1024.0:N0} KiB | {c.ResponseBytes:N0} |");
            }

            md.AppendLine();
            md.AppendLine("Where the OpenTelemetry exporter allocates more, the likely reason (read from its source, not profiled here): it");
            md.AppendLine("serializes a scrape into a buffer of its own, grown by doubling and copying (`PrometheusCollectionManager`,");
            md.AppendLine("open-telemetry/opentelemetry-dotnet), then writes that buffer to the response, where prometheus-net serializes");
            md.AppendLine("straight to the response stream. Serializing to the response stream, or a buffer sized from the previous");
            md.AppendLine("scrape, would remove most of the difference; at this stack's scale (a few thousand series a service) it is");
            md.AppendLine("kilobytes a scrape every 15 s.");
            md.AppendLine();
        }

        if (Footprint is { } f)
        {
            md.AppendLine("## Footprint");
            md.AppendLine();
            md.AppendLine("The default graph, the official image references, at the checked-in 15 s intervals, each window 60 s: CPU averaged over it");
            md.AppendLine($"(`docker stats`; `/proc` for processes), memory at its end. Idle, then under load: {f.Load}.");
            md.AppendLine();
            md.AppendLine("| Container or process | CPU idle | CPU under load | Memory idle | Memory under load |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var name in f.Idle.Select(u => u.Name).Union(f.Loaded.Select(u => u.Name)).Order(StringComparer.Ordinal))
            {
                var idle = f.Idle.FirstOrDefault(u => u.Name == name);
                var loaded = f.Loaded.FirstOrDefault(u => u.Name == name);
                md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {idle?.CpuPercent:0.0} % | {loaded?.CpuPercent:0.0} % | {idle?.MemoryMiB:0} MiB | {loaded?.MemoryMiB:0} MiB |");
            }

            md.AppendLine();
            md.AppendLine($"Disk: {f.SamplesPerSecond:0} samples/s × 86,400 s × {BytesPerSample} bytes a sample (Prometheus' documented 1-2, the upper");
            md.AppendLine("end) per day; the write-ahead log holds up to the last few hours uncompressed on top of that.");
            md.AppendLine();
        }

        if (Suite is { } t)
        {
            md.AppendLine("## The test suite");
            md.AppendLine();
            md.AppendLine("`eng/test.sh` with the images built (Docker already up) on this machine:");
            md.AppendLine();
            md.AppendLine("| Phase | Seconds |");
            md.AppendLine("|---|---|");
            md.AppendLine(CultureInfo.InvariantCulture, $"| Prerequisites, Docker, images (all present) | {t.Setup:0.0} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| Restore and build | {t.Build:0.0} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| Tests: unit (model, config, API) tests done after | {t.UnitSpan:0.0} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| Tests: end-to-end tests done after | {t.EndToEndSpan:0.0} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| Tests, all | {t.Tests:0.0} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| Total | {t.Total:0.0} |");
            md.AppendLine();
            var c = t.Cpu;
            md.AppendLine(CultureInfo.InvariantCulture, $"Over the whole command the {Environment.ProcessorCount} cores were busy {c.BusyCoreSeconds:0} of {c.AvailableCoreSeconds:0} core-seconds");
            var busy = c.BusyCoreSeconds / c.AvailableCoreSeconds;
            md.AppendLine(CultureInfo.InvariantCulture, $"({100 * busy:0}%); that work alone takes {c.BusyCoreSeconds / Environment.ProcessorCount:0} s with every core busy all the time, against the goal's 150 s:");
            md.AppendLine(busy >= 0.8
                ? "the suite is bound by CPU, and gets faster mostly by doing less work."
                : "for the rest of the time the tests mostly wait on the stack's timers (scrapes, evaluations, alerts' `for`s) with cores idle.");
            md.AppendLine("Where that CPU went, by command (each process's own CPU, sampled every second; processes that live less than a");
            md.AppendLine("second, such as the `docker` CLI calls the orchestrator makes to watch its containers, are only in the remainder):");
            md.AppendLine();
            md.AppendLine("| Command | Core-seconds | Share of the busy time |");
            md.AppendLine("|---|---|---|");
            foreach (var (command, seconds) in c.ByCommand.Take(12))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| `{command}` | {seconds:0.0} | {100 * seconds / c.BusyCoreSeconds:0}% |");
            }

            var rest = c.BusyCoreSeconds - c.ByCommand.Take(12).Sum(x => x.CoreSeconds);
            md.AppendLine(CultureInfo.InvariantCulture, $"| everything else (other processes, short-lived ones, the kernel) | {rest:0.0} | {100 * rest / c.BusyCoreSeconds:0}% |");
            md.AppendLine();
        }
    }

    private static void Row(StringBuilder md, string figure, string measured, string reference, double? ratio, string goal) =>
        md.AppendLine(CultureInfo.InvariantCulture, $"| {figure} | {measured} | {reference} | {(ratio is { } r ? $"{r:0.00}×" : "")} | {goal} |");

    private static async Task<string> MachineAsync()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "unknown CPU";
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var (_, docker) = await Shell.RunAsync("docker", ["version", "--format", "{{.Server.Version}}"], TimeSpan.FromSeconds(30));
        return $"{Environment.ProcessorCount} cores ({cpu}), {double.Parse(memory, CultureInfo.InvariantCulture) / 1024 / 1024:0} GiB, " +
            $"Docker Engine {docker.Trim()}, .NET {Environment.Version}";
    }
}
