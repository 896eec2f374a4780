
namespace Monitoring.Tests.Model;

/// <summary>A validator's message carries only the error, whichever log format the component's version uses.</summary>
public class ValidatorOutputTests
{
    [Fact]
    public void Slog_output_keeps_only_the_errors_message_and_its_expanded_err()
    {
        // blackbox_exporter 0.26+ (slog, logfmt), main.go at v0.26.0.
        const string output = """
            time=2026-11-26T04:00:00.000Z level=INFO source=main.go:86 msg="Starting blackbox_exporter" version="(version=0.26.0)"
            time=2026-11-26T04:00:00.000Z level=INFO source=main.go:87 msg="(go=go1.24, platform=linux/amd64)"
            time=2026-11-26T04:00:00.000Z level=ERROR source=main.go:90 msg="Error loading config" err="error parsing config file: yaml: unmarshal errors:\n  line 3: field timout not found in type config.plain"
            """;

        Assert.Equal(
            ["Error loading config: error parsing config file: yaml: unmarshal errors:", "line 3: field timout not found in type config.plain"],
            ValidatorOutput.ErrorLines(output));
    }

    [Fact]
    public void Go_kit_output_keeps_only_the_error()
    {
        // blackbox_exporter 0.23 (go-kit).
        const string output = """
            ts=2026-11-26T04:00:00.000Z caller=main.go:78 level=info msg="Starting blackbox_exporter" version="(version=0.23.0)"
            ts=2026-11-26T04:00:00.000Z caller=main.go:82 level=error msg="Error loading config" err="error parsing config file: yaml: line 2: did not find expected key"
            """;

        Assert.Equal(["Error loading config: error parsing config file: yaml: line 2: did not find expected key"], ValidatorOutput.ErrorLines(output));
    }

    [Fact]
    public void Plain_output_is_kept_and_promtools_file_sd_warnings_are_dropped()
    {
        const string output = """
            Checking /etc/prometheus/prometheus.yml
              WARNING: file "/aspire/targets/probes.json" does not exist for file_sd in job "probes"
              FAILED: parsing YAML file /etc/prometheus/prometheus.yml: scrape timeout greater than scrape interval
            """;

        Assert.Equal(
            ["Checking /etc/prometheus/prometheus.yml", "FAILED: parsing YAML file /etc/prometheus/prometheus.yml: scrape timeout greater than scrape interval"],
            ValidatorOutput.ErrorLines(output));
    }
}
