using System.Diagnostics;
using Monitoring.Tests.Infrastructure;
using Monitoring.Tests.Reporting;

namespace Monitoring.Tests.Harness;

/// <summary>
/// The test harness itself: a command that hangs fails its test within the timeout, and in CI a skipped test counts
/// as failed unless it is marked <see cref="MaySkipAttribute"/> (<see cref="ReadableReporter"/> applies the policy).
/// </summary>
public class HarnessTests
{
    [Fact]
    public void A_hung_command_fails_within_its_timeout_naming_itself()
    {
        var clock = Stopwatch.StartNew();

        var ex = Assert.Throws<TimeoutException>(() =>
            ContainerHost.Run(HarnessChild.Executable, ["hung"], TimeSpan.FromSeconds(2), (HarnessChild.Variable, "hang")));

        Assert.Contains($"{HarnessChild.Executable} hung did not finish within 2 s", ex.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_command_whose_child_keeps_its_output_open_does_not_hold_the_test()
    {
        // The command exits at once, leaving a child that holds stdout open, as a CLI's background helper can.
        var clock = Stopwatch.StartNew();

        using var dir = new ReadableTempDirectory();
        var pidFile = Path.Combine(dir.Path, "child.pid");

        var (exitCode, _) = ContainerHost.Run(HarnessChild.Executable, [], TimeSpan.FromSeconds(30), (HarnessChild.Variable, $"spawn:{pidFile}"));

        // The child is this test's to stop: it would outlive the test run by ten minutes.
        using (var child = Process.GetProcessById(int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture)))
        {
            child.Kill();
        }

        Assert.Equal(0, exitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(true, true, true)]
    [InlineData(false, false, true)]
    [InlineData(false, true, true)]
    public void In_ci_only_a_test_marked_may_skip_may_skip(bool ci, bool marked, bool allowed)
    {
        var traits = new Dictionary<string, IReadOnlyCollection<string>>();
        if (marked)
        {
            traits[MaySkipAttribute.TraitName] = ["where no registry answers"];
        }

        Assert.Equal(allowed, new SkipPolicy(ci).Allows(traits));
    }

    [Fact]
    public void Only_the_full_graph_test_may_skip_in_ci()
    {
        var marked = typeof(HarnessTests).Assembly.GetTypes().SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttributes(typeof(MaySkipAttribute), false).Length > 0 || m.DeclaringType!.GetCustomAttributes(typeof(MaySkipAttribute), false).Length > 0)
            .Where(m => m.GetCustomAttributes(typeof(FactAttribute), true).Length > 0)
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}").ToList();

        Assert.Equal([nameof(EndToEnd.FullGraphEndToEndTests) + "." + nameof(EndToEnd.FullGraphEndToEndTests.The_whole_graph_runs_with_the_official_images_and_alerts_on_real_airflow_and_kafka_faults)], marked);
    }
}
