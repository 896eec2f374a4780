using Monitoring.Tests.Reporting;
using Xunit.Runner.Common;
using Xunit.Sdk;

[assembly: RegisterRunnerReporter(typeof(ReadableReporter))]

namespace Monitoring.Tests.Reporting;

/// <summary>
/// The console report of a run of the test executable (<c>-reporter readable</c>; on by default): a line as each test
/// class ends, each failure as it happens with its message, stack, output and the last lines of the log of the graph
/// it ran on (<see cref="Infrastructure.GraphLog"/>), and at the end every skipped test with its reason, the failed
/// ones by name, and the closing line <c>N passed, N failed, N skipped</c>. With <c>CI=true</c>, a skipped test not
/// marked <see cref="MaySkipAttribute"/> counts as failed (<see cref="SkipPolicy"/>): in CI a skip means something
/// was not proven. Everything else the tests' graphs log is in their files under <c>artifacts/logs/</c>.
/// </summary>
public sealed class ReadableReporter : IRunnerReporter
{
    /// <summary>The file the closing counts are written to instead of the console, when set (eng/test.sh prints them last).</summary>
    public const string CountsFileVariable = "MONITORING_TEST_COUNTS";

    /// <inheritdoc />
    public bool CanBeEnvironmentallyEnabled => true;

    /// <inheritdoc />
    public string Description => "progress by test class, failures with their graph's log, skips with reasons, 'N passed, N failed, N skipped'";

    /// <inheritdoc />
    public bool ForceNoLogo => true;

    /// <inheritdoc />
    public bool IsEnvironmentallyEnabled => true;

    /// <inheritdoc />
    public string? RunnerSwitch => "readable";

    /// <inheritdoc />
    public ValueTask<IRunnerReporterMessageHandler> CreateMessageHandler(IRunnerLogger logger, IMessageSink? diagnosticMessageSink) =>
        new(new Handler(logger, SkipPolicy.FromEnvironment(), Environment.GetEnvironmentVariable(CountsFileVariable)));

    private sealed class Handler(IRunnerLogger logger, SkipPolicy policy, string? countsFile) : DefaultRunnerReporterMessageHandler(logger)
    {
        /// <summary>How many lines of a failed test's graph log are shown under it.</summary>
        private const int LogTail = 40;

        private readonly Lock _lock = new();
        private readonly List<(string Test, string Reason, bool Allowed)> _skipped = [];
        private readonly List<(string Test, string Message)> _failed = [];
        private readonly Dictionary<string, IReadOnlyDictionary<string, IReadOnlyCollection<string>>> _traits = new(StringComparer.Ordinal);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _classStarted = new(StringComparer.Ordinal);
        private int _passed;

        protected override void HandleTestAssemblyDiscoveryStarting(MessageHandlerArgs<TestAssemblyDiscoveryStarting> args)
        {
        }

        protected override void HandleTestAssemblyDiscoveryFinished(MessageHandlerArgs<TestAssemblyDiscoveryFinished> args) =>
            Logger.LogMessage("tests: running; a line as each test class ends (graph logs: artifacts/logs/)");

        protected override void HandleTestAssemblyExecutionStarting(MessageHandlerArgs<TestAssemblyExecutionStarting> args)
        {
        }

        protected override void HandleTestAssemblyExecutionFinished(MessageHandlerArgs<TestAssemblyExecutionFinished> args)
        {
        }

        protected override void HandleTestStarting(MessageHandlerArgs<ITestStarting> args)
        {
            lock (_lock)
            {
                _traits[args.Message.TestUniqueID] = args.Message.Traits;
            }

            base.HandleTestStarting(args);
        }

        protected override void HandleTestPassed(MessageHandlerArgs<ITestPassed> args)
        {
            Interlocked.Increment(ref _passed);
            base.HandleTestPassed(args);
        }

        protected override void HandleTestFailed(MessageHandlerArgs<ITestFailed> args)
        {
            var name = MetadataCache.TryGetTestMetadata(args.Message)?.TestDisplayName ?? args.Message.TestUniqueID;
            lock (_lock)
            {
                _failed.Add((name, FirstLine(args.Message.Messages.FirstOrDefault())));
            }

            lock (Logger.LockObject)
            {
                base.HandleTestFailed(args);
                foreach (var log in GraphLogs(args.Message.Output))
                {
                    Logger.LogMessage($"      Last {LogTail} lines of {log} (the graph it ran on; stack frames left out):");
                    foreach (var line in Tail(Path.Combine(Infrastructure.Repo.Root, log), LogTail))
                    {
                        Logger.LogMessage($"        {line}");
                    }
                }
            }
        }

        protected override void HandleTestSkipped(MessageHandlerArgs<ITestSkipped> args)
        {
            var name = MetadataCache.TryGetTestMetadata(args.Message)?.TestDisplayName ?? args.Message.TestUniqueID;
            lock (_lock)
            {
                var traits = _traits.GetValueOrDefault(args.Message.TestUniqueID) ?? new Dictionary<string, IReadOnlyCollection<string>>();
                _skipped.Add((name, args.Message.Reason, policy.Allows(traits)));
            }

            base.HandleTestSkipped(args);
        }

        protected override void HandleTestFinished(MessageHandlerArgs<ITestFinished> args)
        {
            lock (_lock)
            {
                _traits.Remove(args.Message.TestUniqueID);
            }

            base.HandleTestFinished(args);
        }

        // A failure after the tests (an assembly fixture's disposal: volumes left behind) counts as failed, shown by
        // its messages rather than a stack trace.
        protected override void HandleTestAssemblyCleanupFailure(MessageHandlerArgs<ITestAssemblyCleanupFailure> args)
        {
            var message = string.Join(" ", args.Message.Messages.Select(FirstLine));
            lock (_lock)
            {
                _failed.Add(("after the tests (assembly cleanup)", message));
            }

            Logger.LogMessage($"  FAILED after the tests: {message}");
        }

        protected override void HandleTestClassStarting(MessageHandlerArgs<ITestClassStarting> args)
        {
            _classStarted[args.Message.TestClassUniqueID ?? ""] = System.Diagnostics.Stopwatch.GetTimestamp();
            base.HandleTestClassStarting(args);
        }

        // The class's time is from its start to its end, rather than the sum of its tests' times: it includes creating
        // its fixtures (the wait for the shared graph) and any time its tests waited to run.
        protected override void HandleTestClassFinished(MessageHandlerArgs<ITestClassFinished> args)
        {
            var finished = args.Message;
            var seconds = _classStarted.TryRemove(finished.TestClassUniqueID ?? "", out var started)
                ? System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds
                : (double)finished.ExecutionTime;
            var name = MetadataCache.TryGetClassMetadata(finished)?.TestClassName ?? "?";
            var outcome = finished.TestsFailed > 0 ? "FAILED " : finished.TestsSkipped > 0 ? "skipped" : "passed ";
            var counts = finished.TestsFailed > 0 ? $"{finished.TestsFailed} of {finished.TestsTotal} failed"
                : finished.TestsSkipped > 0 ? $"{finished.TestsSkipped} of {finished.TestsTotal} skipped"
                : $"{finished.TestsTotal} test{(finished.TestsTotal == 1 ? "" : "s")}";
            Logger.LogMessage($"  {outcome} {name.Replace("Monitoring.Tests.", "", StringComparison.Ordinal)}: {counts}, {seconds:0.0} s");
            base.HandleTestClassFinished(args);
        }

        protected override void HandleTestExecutionSummaries(MessageHandlerArgs<TestExecutionSummaries> args)
        {
            var summaries = args.Message.SummariesByAssemblyUniqueID.Select(s => s.Summary).ToList();
            var failed = summaries.Sum(s => s.Failed + s.Errors);
            var skipped = summaries.Sum(s => s.Skipped);
            var unexpected = _skipped.Where(s => !s.Allowed).ToList();
            if (_skipped.Count > 0)
            {
                Logger.LogMessage("");
                Logger.LogMessage("Skipped tests and why:");
                foreach (var (test, reason, _) in _skipped.OrderBy(s => s.Test, StringComparer.Ordinal))
                {
                    Logger.LogMessage($"  {test}");
                    Logger.LogMessage($"    {reason}");
                }
            }

            if (policy.IsCi && unexpected.Count > 0)
            {
                Logger.LogMessage("");
                Logger.LogMessage($"In CI only tests marked [{nameof(MaySkipAttribute).Replace("Attribute", "", StringComparison.Ordinal)}] may skip; these skipped too, so what they prove was not proven (counted as failed):");
                foreach (var (test, _, _) in unexpected)
                {
                    Logger.LogMessage($"  {test}");
                }

                // Counted once: as failed, not also as skipped.
                failed += unexpected.Count;
                skipped -= unexpected.Count;
            }

            if (_failed.Count > 0)
            {
                Logger.LogMessage("");
                Logger.LogMessage("Failed tests:");
                foreach (var (test, message) in _failed.OrderBy(f => f.Test, StringComparer.Ordinal))
                {
                    Logger.LogMessage($"  {test}");
                    Logger.LogMessage($"    {message}");
                }
            }

            var closing = $"{_passed} passed, {failed} failed, {skipped} skipped";
            if (countsFile is null)
            {
                Logger.LogMessage(closing);
            }
            else
            {
                File.WriteAllText(countsFile, closing + Environment.NewLine);
            }
        }

        private static IEnumerable<string> GraphLogs(string? output) =>
            (output ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith(Infrastructure.GraphLog.Marker, StringComparison.Ordinal))
                .Select(l => l[Infrastructure.GraphLog.Marker.Length..]).Distinct(StringComparer.Ordinal);

        private static IEnumerable<string> Tail(string path, int lines)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                var tail = new Queue<string>();
                while (reader.ReadLine() is { } line)
                {
                    // An exception's frames fill a tail with where a health check failed rather than what the graph did.
                    if (line.TrimStart() is var trimmed && (trimmed.StartsWith("at ", StringComparison.Ordinal) || trimmed.StartsWith("--- End of", StringComparison.Ordinal)))
                    {
                        continue;
                    }

                    tail.Enqueue(line.Length > 300 ? line[..300] + " …" : line);
                    if (tail.Count > lines)
                    {
                        tail.Dequeue();
                    }
                }

                return tail;
            }
            catch (IOException e)
            {
                return [$"(not readable: {e.Message})"];
            }
        }

        private static string FirstLine(string? text) => (text ?? "").Split('\n')[0].Trim();
    }
}
