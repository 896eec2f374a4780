using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Monitoring.Bench.Exporter;

/// <summary>Runs <see cref="ExporterBenchmarks"/> (BenchmarkDotNet, in process) and reads its summary.</summary>
internal static class ExporterComparison
{
    public sealed record Case(string Exporter, int Series, double MeanMilliseconds, long AllocatedBytes, int ResponseBytes);

    public static async Task<IReadOnlyList<Case>> MeasureAsync()
    {
        var config = ManualConfig.CreateEmpty()
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(ConsoleLogger.Default);
        var summary = BenchmarkRunner.Run<ExporterBenchmarks>(config);

        var cases = new List<Case>();
        foreach (var report in summary.Reports.Where(r => r.ResultStatistics is not null))
        {
            var exporter = (string)report.BenchmarkCase.Parameters["Exporter"];
            var series = (int)report.BenchmarkCase.Parameters["Series"];
            cases.Add(new(exporter, series, report.ResultStatistics!.Mean / 1e6,
                report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0,
                await ExporterBenchmarks.BytesPerScrapeAsync(exporter, series)));
        }

        return cases;
    }
}
