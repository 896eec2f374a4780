
namespace Monitoring.Tests.Model;

public class DotEnvFileTests
{
    [Fact]
    public void Reads_settings_with_double_underscores_as_sections_quotes_and_comments()
    {
        var settings = DotEnvFile.Parse(".env", ["# comment", "", "Parameters__grafana-admin-password='Abc123'", "Monitoring__ProbesHosting = Container"]);

        Assert.Equal("Abc123", settings["Parameters:grafana-admin-password"]);
        Assert.Equal("Container", settings["Monitoring:ProbesHosting"]);
        Assert.Equal(2, settings.Count);
    }

    [Fact]
    public void A_malformed_line_is_reported_with_file_and_line()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => DotEnvFile.Parse("/repo/.env", ["A=1", "not a setting"]));

        Assert.StartsWith("/repo/.env:2:", ex.Message);
    }

    [Fact]
    public void The_example_file_parses_and_sets_nothing()
    {
        var path = Infrastructure.Repo.Path(".env.example");

        Assert.Empty(DotEnvFile.Parse(path, File.ReadAllLines(path)));
    }
}
