namespace Monitoring.Tests.Infrastructure;

/// <summary>A copy of <c>provisioning/</c> in a temp folder, for tests that change or break files (the AppHost reads it through <c>Monitoring:ProvisioningDirectory</c>).</summary>
internal sealed class ProvisioningCopy : IDisposable
{
    private readonly ReadableTempDirectory _directory = new();

    /// <summary>Copies the checked-in provisioning tree.</summary>
    public ProvisioningCopy()
    {
        var source = Repo.Path("provisioning");
        foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(source, Path, StringComparison.Ordinal));
        }

        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            System.IO.File.Copy(file, file.Replace(source, Path, StringComparison.Ordinal));
        }
    }

    /// <summary>The copy's folder.</summary>
    public string Path => _directory.Path;

    /// <summary>The setting that points the AppHost at the copy.</summary>
    public string Setting => $"Monitoring:ProvisioningDirectory={Path}";

    /// <summary>The full path of a file of the copy (<c>prometheus/alerts.yml</c>).</summary>
    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    public void Dispose() => _directory.Dispose();
}
