using System.Text.Json;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Config;

/// <summary>The repository builds with the .NET 10 SDK a user has: Visual Studio's (10.0.1xx and later bands) or the CLI's.</summary>
public class SdkTests
{
    [Fact]
    public void Global_json_accepts_every_released_dotnet_10_sdk_from_the_first_band()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Repo.Path("global.json")));
        var sdk = file.RootElement.GetProperty("sdk");

        Assert.Equal("10.0.100", sdk.GetProperty("version").GetString());
        // latestFeature: any 10.0 band and patch at or above the version; latestPatch would refuse every band but 1xx.
        Assert.Equal("latestFeature", sdk.GetProperty("rollForward").GetString());
        Assert.False(sdk.TryGetProperty("allowPrerelease", out var prerelease) && prerelease.GetBoolean());
    }
}
