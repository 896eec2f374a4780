namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// The sample orders API as a user's AppHost sees it: the AppHost SDK generates this class (<c>Projects.SampleApi</c>)
/// for each project the AppHost references, with <see cref="SuppressBuild"/> on, since building the AppHost built the
/// project. The orchestrator then runs it with <c>dotnet run --no-build</c>; added by path instead, it would build it
/// again at every start. This project references SampleApi, so the tests' build builds it.
/// </summary>
internal sealed class SampleApiProject : IProjectMetadata
{
    /// <inheritdoc />
    public string ProjectPath => Repo.Path("samples", "SampleApi", "SampleApi.csproj");

    /// <inheritdoc />
    public bool SuppressBuild => true;
}
