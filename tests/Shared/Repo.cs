namespace Monitoring.Tests.Infrastructure;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repo
{
    /// <summary>The repository root (the folder holding Monitoring.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path below the root.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Monitoring.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Monitoring.sln above {AppContext.BaseDirectory}.");
    }
}
