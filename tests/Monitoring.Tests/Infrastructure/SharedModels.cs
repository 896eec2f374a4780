using Monitoring.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(SharedModels))]

namespace Monitoring.Tests.Infrastructure;

/// <summary>Disposes the models <see cref="AppHostModel"/> shares between tests when the test assembly ends.</summary>
public sealed class SharedModels : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await AppHostModel.DisposeSharedAsync();
}
