using System.Globalization;
using Monitoring.Bench;
using Monitoring.Bench.Exporter;

// Measures what docs/performance.md reports, each figure against its reference in the same run on this machine, and
// writes the table there. Usage: eng/bench.sh [all|alert-latency|startup|exporter|footprint|suite] (default all).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var what = args.FirstOrDefault() ?? "all";
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var report = new PerformanceReport(Repo.Path("docs", "performance.md"));

if (what is "all" or "alert-latency")
{
    Console.WriteLine("alert latency (10 trials)");
    report.AlertLatency = await AlertLatency.MeasureAsync(10, cancel.Token);
}

if (what is "all" or "startup")
{
    Console.WriteLine("start-up (3 trials)");
    report.Startup = await Startup.MeasureAsync(3, cancel.Token);
}

if (what is "all" or "exporter")
{
    Console.WriteLine("exporter");
    report.Exporter = await ExporterComparison.MeasureAsync();
}

if (what is "all" or "footprint")
{
    Console.WriteLine("footprint");
    report.Footprint = await Footprint.MeasureAsync(cancel.Token);
}

if (what is "all" or "suite")
{
    Console.WriteLine("test suite (eng/test.sh)");
    report.Suite = await Suite.MeasureAsync();
}

await report.WriteAsync();
Console.WriteLine($"wrote {report.Path}");
