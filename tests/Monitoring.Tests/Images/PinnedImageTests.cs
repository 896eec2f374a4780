using System.Text.RegularExpressions;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Images;

/// <summary>
/// One version per component, named in eng/images/pins.txt: the AppHost runs that official image, the image under that
/// reference carries exactly that upstream version (read from its own binary: the pulled image on a laptop, the
/// Debian-built stand-in where no registry answers), the README shows it, and the image build stops, naming what
/// Debian has, when Debian no longer carries it.
/// </summary>
public partial class PinnedImageTests
{
    /// <summary>Each image's binary (where the official image has it) and the arguments that print its version.</summary>
    private static readonly Dictionary<string, string[]> s_versionCommands = new()
    {
        ["prometheus"] = ["/bin/prometheus", "--version"],
        ["alertmanager"] = ["/bin/alertmanager", "--version"],
        ["node-exporter"] = ["/bin/node_exporter", "--version"],
        ["postgres"] = ["postgres", "--version"],
        ["postgres-exporter"] = ["/bin/postgres_exporter", "--version"],
        ["blackbox-exporter"] = ["/bin/blackbox_exporter", "--version"],
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Components() => [.. s_versionCommands.Keys];

    [Theory]
    [MemberData(nameof(Components))]
    public async Task The_image_under_the_official_reference_carries_exactly_the_pinned_upstream_version(string component)
    {
        var pin = PinnedImages.Of(component);
        await ContainerHost.RequireImagesAsync(pin.OfficialReference);
        var command = s_versionCommands[component];

        var (exitCode, output) = ContainerHost.RunTool(pin.OfficialReference, command[0], command[1..]);

        Assert.True(exitCode == 0, output);
        // "prometheus, version 3.5.3+ds1 (branch: …)" (3.5.3 in the official image), "postgres (PostgreSQL) 18.6 (Debian 18.6-3)".
        var version = VersionLine().Match(output);
        Assert.True(version.Success, output);
        Assert.Equal(pin.Version, version.Groups["upstream"].Value);
    }

    [Fact]
    public async Task The_apphost_runs_the_pinned_official_image_of_every_component()
    {
        await using var app = await AppHostModel.BuildAsync();

        var containers = app.Model.Resources.OfType<ContainerResource>().ToList();
        foreach (var container in containers)
        {
            if (container.Name == "probes")
            {
                continue;
            }

            Assert.True(container.TryGetLastAnnotation<ContainerImageAnnotation>(out var image));
            var pin = PinnedImages.All.SingleOrDefault(p => p.Image == image.Image);
            Assert.True(pin is not null, $"{container.Name} runs {image.Image}, which no line of eng/images/pins.txt pins");
            Assert.Equal(pin.OfficialReference, AppHostModel.ImageOf(container));
        }

        // And every pin is run by the graph (the Airflow processes share one).
        Assert.All(PinnedImages.All, p => Assert.Contains(containers, c => AppHostModel.ImageOf(c) == p.OfficialReference));
    }

    [Fact]
    public void The_readme_shows_one_version_per_component_the_pinned_one()
    {
        var readme = File.ReadAllText(Repo.Path("README.md"));

        foreach (var pin in PinnedImages.All)
        {
            var tags = Regex.Matches(readme, $@"{Regex.Escape(pin.Image)}:(?<tag>[\w.+-]+)").Select(m => m.Groups["tag"].Value).Distinct().ToList();
            Assert.True(tags.SequenceEqual([pin.Tag]), $"README.md names {pin.Image} with the tags {string.Join(", ", tags)}; eng/images/pins.txt pins {pin.Tag}.");
        }
    }

    [Fact]
    public void A_pin_debian_does_not_carry_stops_the_image_build_naming_what_debian_has()
    {
        // eng/images/build.sh is for a Debian machine where no registry answers; its Debian bases exist only where it ran.
        Assert.SkipUnless(OperatingSystem.IsLinux() && File.Exists("/etc/debian_version"), "eng/images/build.sh runs on Debian or Ubuntu only.");
        Assert.SkipWhen(new[] { "localhost/monitoring/debian:forky", "localhost/monitoring/debian:trixie" }.Any(i => ContainerHost.Run(["image", "inspect", i]).ExitCode != 0),
            "eng/images/build.sh has not run here (no registry-less Debian bases): its check of a missing Debian version needs them.");
        using var pins = new ReadableTempDirectory();
        var prometheus = PinnedImages.Of("prometheus");
        var file = pins.Write("pins.txt", $"prometheus docker.io {prometheus.Image} v3.0.99 {prometheus.DebianPackage} {prometheus.DebianSuite}\n");

        var (exitCode, output) = ContainerHost.Run("bash", [Repo.Path("eng", "images", "build.sh")], TimeSpan.FromMinutes(3), ("MONITORING_PINS", file));

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"Debian {prometheus.DebianSuite} has no {prometheus.DebianPackage} 3.0.99", output);
        // What Debian has now, and what to move.
        Assert.Contains($"it has: {prometheus.Version}", output);
        Assert.Contains("change the tag on the 'prometheus' line of eng/images/pins.txt", output);
        Assert.DoesNotContain("building docker.io/prom/prometheus:v3.0.99", output);
    }

    [GeneratedRegex(@"(version|\(PostgreSQL\)) v?(?<upstream>\d+(\.\d+)+)")]
    private static partial Regex VersionLine();
}
