using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// Where a test graph's log goes: a file of its own under <c>artifacts/logs/</c> (the AppHost's log and every
/// resource's output, as F5's console and dashboard show them; the tests' own HTTP calls only when they fail), not the
/// console, which is the test run's. The test that starts or uses a graph names the file in its output
/// (<see cref="Marker"/>), and the run's report prints its last lines under the test when it fails
/// (ReadableReporter).
/// </summary>
internal static class GraphLog
{
    /// <summary>The start of the line of a test's output that names a graph log.</summary>
    public const string Marker = "graph log: ";

    /// <summary>The shared graph's log (<c>StackFixture</c>).</summary>
    public const string SharedName = "shared-graph";

    private static readonly ConcurrentDictionary<string, Writer> s_writers = new(StringComparer.Ordinal);

    /// <summary>The folder of the logs.</summary>
    public static string Directory { get; } = Repo.Path("artifacts", "logs");

    /// <summary>
    /// Sends the app's log to the file of the calling test (or of the shared graph, outside a test), replacing the
    /// console, and names the file in the test's output.
    /// </summary>
    /// <param name="builder">The app's builder.</param>
    /// <param name="fallbackName">The file's name outside a test.</param>
    public static void Apply(IDistributedApplicationTestingBuilder builder, string fallbackName)
    {
        var path = PathFor(TestContext.Current.Test is null ? fallbackName : NameOfCurrentTest());
        var writer = s_writers.GetOrAdd(path, p => new Writer(p));
        builder.Services.AddLogging(logging =>
        {
            logging.ClearProviders();
            logging.AddProvider(writer);
            // The tests' own HTTP clients log each request at Information: tens of thousands of lines a run.
            logging.AddFilter("System.Net.Http", LogLevel.Warning);
        });
        Name(path);
    }

    /// <summary>Names a graph's log in the calling test's output.</summary>
    /// <param name="path">The log file.</param>
    public static void Name(string path) => TestContext.Current.TestOutputHelper?.WriteLine($"{Marker}{Path.GetRelativePath(Repo.Root, path)}");

    /// <summary>The file of a graph log's name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>Its path.</returns>
    public static string PathFor(string name) => Path.Combine(Directory, name + ".log");

    private static string NameOfCurrentTest()
    {
        var test = TestContext.Current.Test!;
        var name = $"{test.TestCase.TestClassSimpleName}.{test.TestCase.TestMethodName}";
        return string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_'));
    }

    /// <summary>Appends log lines to one file, from every app that logs to it (a test that starts two graphs has one log).</summary>
    private sealed class Writer : ILoggerProvider
    {
        private readonly StreamWriter _file;
        private readonly Lock _lock = new();

        public Writer(string path)
        {
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            _file = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        // Shared by every app that logs here, and kept until the process ends: an app's disposal must not close it.
        public void Dispose()
        {
        }

        private void Write(string line)
        {
            lock (_lock)
            {
                _file.WriteLine(line);
            }
        }

        private sealed class Logger(Writer writer, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = $"{DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {Level(logLevel)} {category}: {formatter(state, exception)}";
                writer.Write(exception is null ? line : $"{line}{Environment.NewLine}{exception}");
            }

            private static string Level(LogLevel level) => level switch
            {
                LogLevel.Trace => "trce",
                LogLevel.Debug => "dbug",
                LogLevel.Information => "info",
                LogLevel.Warning => "warn",
                LogLevel.Error => "fail",
                _ => "crit",
            };
        }
    }
}
