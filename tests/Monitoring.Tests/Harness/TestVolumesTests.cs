using Microsoft.Extensions.DependencyInjection;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.Harness;

/// <summary>
/// A test's graphs keep their generated passwords with their volumes: a second start of the same test finds the
/// password its data was created with, another test has its own, and none is generated (and written to the AppHost's
/// user secrets, where graphs starting at once raced: one restart found a password another graph had written).
/// </summary>
public class TestVolumesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_tests_graphs_share_their_passwords_and_another_tests_differ()
    {
        using var one = new TestVolumes();
        using var other = new TestVolumes();

        var first = await PasswordAsync(one);
        var again = await PasswordAsync(one);
        var others = await PasswordAsync(other);

        Assert.Equal(first, again);
        Assert.NotEqual(first, others);
    }

    private static async Task<string?> PasswordAsync(TestVolumes volumes)
    {
        AppHostModel.NeverStarted? neverStarted = null;
        DistributedApplication built;
        try
        {
            built = await TestStack.BuildAsync(volumes, Ct, builder => neverStarted = AppHostModel.NeverStarted.Register(builder),
                $"ASPIRE_CONTAINER_RUNTIME={AppHostModel.EveryImageRuntime}");
        }
        finally
        {
            neverStarted?.Built();
        }

        await using var app = built;
        var configuration = app.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        Assert.False(string.IsNullOrEmpty(configuration["Parameters:postgres-password"]), "the test's graph has no password of its own");
        return await app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>()
            .Single(p => p.Name == "postgres-password").GetValueAsync(Ct);
    }
}
