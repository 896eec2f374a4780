using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Monitoring.Tests.Harness;

/// <summary>
/// The test executable as a child process of the harness tests, the same on every OS (no shell, no <c>sleep</c>):
/// started with <see cref="Variable"/> set, it does that instead of running tests. <c>hang</c>: sleeps ten minutes;
/// <c>spawn:&lt;file&gt;</c>: starts itself with <c>hang</c>, handing down its standard output, writes the child's
/// process id to the file, says "started" and exits at once.
/// </summary>
internal static class HarnessChild
{
    /// <summary>The variable that makes the test executable a harness child.</summary>
    public const string Variable = "MONITORING_HARNESS_CHILD";

    /// <summary>The test executable (its apphost, beside the assembly).</summary>
    public static string Executable { get; } = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Monitoring.Tests.exe" : "Monitoring.Tests");

#pragma warning disable CA2255 // A module initializer in a test executable: it must act before the test runner starts.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Run()
    {
        var role = Environment.GetEnvironmentVariable(Variable);
        if (role == "hang")
        {
            Thread.Sleep(TimeSpan.FromMinutes(10));
            Environment.Exit(0);
        }
        else if (role?.StartsWith("spawn:", StringComparison.Ordinal) == true)
        {
            var info = new ProcessStartInfo(Executable) { UseShellExecute = false };
            info.Environment[Variable] = "hang";
            using var child = Process.Start(info)!;
            File.WriteAllText(role["spawn:".Length..], child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Console.WriteLine("started");
            Environment.Exit(0);
        }
    }
}
