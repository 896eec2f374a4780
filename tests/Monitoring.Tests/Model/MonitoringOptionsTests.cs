
namespace Monitoring.Tests.Model;

public class MonitoringOptionsTests
{
    [Theory]
    [InlineData("15s", 15)]
    [InlineData("500ms", 0.5)]
    [InlineData("1h30m", 5400)]
    [InlineData("15d", 1296000)]
    [InlineData("2w", 1209600)]
    public void Parses_prometheus_durations(string text, double seconds)
    {
        Assert.True(MonitoringOptions.TryParsePrometheusDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("15")]
    [InlineData("fast")]
    [InlineData("1.5s")]
    [InlineData("15 s")]
    [InlineData(null)]
    public void Rejects_what_prometheus_would_reject(string? text) =>
        Assert.False(MonitoringOptions.IsPrometheusDuration(text));

    [Fact]
    public void Components_are_on_unless_switched_off()
    {
        var options = new MonitoringOptions { Components = new(StringComparer.OrdinalIgnoreCase) { ["node-exporter"] = false } };

        Assert.False(options.IsEnabled("Node-Exporter"));
        Assert.True(options.IsEnabled("alertmanager"));
    }
}
