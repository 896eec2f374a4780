using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Harness;

/// <summary>The run's check for volumes left behind (<see cref="LeftoverVolumes"/>) names a volume created after its start, and not once it is removed.</summary>
public class LeftoverVolumesTests
{
    [Fact]
    public async Task A_volume_left_behind_is_named_and_a_removed_one_is_not()
    {
        await ContainerHost.RequireImagesOnAsync(ContainerHost.Docker);
        var check = new LeftoverVolumes(ContainerHost.Docker);
        var name = $"monitoring-test-{Guid.NewGuid():n}"[..28] + "-left";
        var (created, output) = ContainerHost.Run(ContainerHost.Docker, ["volume", "create", name]);
        Assert.True(created == 0, output);
        try
        {
            Assert.Contains(name, check.Left());
        }
        finally
        {
            ContainerHost.Run(ContainerHost.Docker, ["volume", "rm", "--force", name]);
        }

        Assert.DoesNotContain(name, check.Left());
    }
}
