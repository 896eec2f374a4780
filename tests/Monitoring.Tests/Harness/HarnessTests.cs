using System.Diagnostics;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Harness;

/// <summary>
/// The test harness itself: a command that hangs fails its test within the timeout, and the README's test command
/// fails in CI when a test that must run was skipped, naming it.
/// </summary>
public class HarnessTests
{
    [Fact]
    public void A_hung_command_fails_within_its_timeout_naming_itself()
    {
        var clock = Stopwatch.StartNew();

        var ex = Assert.Throws<TimeoutException>(() => ContainerHost.Run("sleep", ["600"], TimeSpan.FromSeconds(2)));

        Assert.Contains("sleep 600 did not finish within 2 s", ex.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_command_whose_child_keeps_its_output_open_does_not_hold_the_test()
    {
        // The command exits at once, leaving a child that holds stdout open, as a CLI's background helper can.
        var clock = Stopwatch.StartNew();

        using var dir = new ReadableTempDirectory();
        var pidFile = Path.Combine(dir.Path, "child.pid");

        var (exitCode, _) = ContainerHost.Run("bash", ["-c", $"sleep 600 & echo $! > '{pidFile}'; echo started"], TimeSpan.FromSeconds(10));

        // The child is this test's to stop: it would outlive the test run by ten minutes.
        using (var child = Process.GetProcessById(int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture)))
        {
            child.Kill();
        }

        Assert.Equal(0, exitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("true", "Monitoring.Tests.EndToEnd.SpineEndToEndTests.Every_resource_is_healthy", 1, false)]
    [InlineData("true", "Monitoring.Tests.EndToEnd.FullGraphEndToEndTests.The_whole_graph_runs_with_the_official_images", 0, false)]
    [InlineData("", "Monitoring.Tests.EndToEnd.SpineEndToEndTests.Every_resource_is_healthy", 0, false)]
    [InlineData("true", "Monitoring.Tests.EndToEnd.SpineEndToEndTests.Every_resource_is_healthy", 1, true)]
    [InlineData("true", "Monitoring.Tests.EndToEnd.FullGraphEndToEndTests.The_whole_graph_runs_with_the_official_images", 0, true)]
    public void In_ci_a_skip_other_than_the_full_graph_fails_the_test_command_naming_the_test(string ci, string skipped, int expectedExit, bool dotnetTest)
    {
        using var dir = new ReadableTempDirectory();
        // The log of the xUnit v3 runner the test command runs, or of `dotnet test` (console logger, verbosity normal).
        var log = dir.Write("test.log", dotnetTest
            ? $"""
                [xUnit.net 00:00:02.10]     Monitoring.Tests.Model.PrometheusModelTests.Runs_the_pinned_official_image_by_default [PASS]
                [xUnit.net 00:00:03.20]     {skipped} [SKIP]
                [xUnit.net 00:00:03.20]       The container runtime 'docker' does not answer: Cannot connect to the Docker daemon
                """
            : $"""
                  Starting:    Monitoring.Tests
                    {skipped} [SKIP]
                      The container runtime 'docker' does not answer: Cannot connect to the Docker daemon
                  Finished:    Monitoring.Tests (ID = 'a0d3')
                """);

        var (exitCode, output) = ContainerHost.Run("bash", [Repo.Path("eng", "skips.sh"), log], TimeSpan.FromSeconds(30), ("CI", ci));

        Assert.Equal(expectedExit, exitCode);
        Assert.Contains("The container runtime 'docker' does not answer", output);
        if (expectedExit != 0)
        {
            Assert.Contains($"  {skipped}", output[output.IndexOf("In CI only", StringComparison.Ordinal)..]);
        }
    }
}
