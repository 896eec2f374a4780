namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// Names of the named volumes for one test: unique to it (so a test neither sees nor leaves a developer's data), the
/// same for every app it builds (so a second start finds the first one's data), and removed on dispose.
/// </summary>
/// <param name="runtime">The container runtime that holds the volumes (the default one unless given).</param>
public sealed class TestVolumes(string? runtime = null) : IDisposable
{
    private readonly string _prefix = $"monitoring-test-{Guid.NewGuid():n}"[..28];
    private readonly HashSet<string> _names = [];

    /// <summary>Renames every volume mount of the app's resources.</summary>
    public void Apply(IDistributedApplicationTestingBuilder builder)
    {
        foreach (var resource in builder.Resources)
        {
            foreach (var mount in resource.Annotations.OfType<ContainerMountAnnotation>().Where(m => m.Type == ContainerMountType.Volume).ToList())
            {
                var name = NameOf(resource.Name, mount.Target);
                resource.Annotations.Remove(mount);
                resource.Annotations.Add(new ContainerMountAnnotation(name, mount.Target, ContainerMountType.Volume, mount.IsReadOnly));
            }
        }
    }

    /// <summary>The name a resource's volume mounted at <paramref name="target"/> gets (it may be created before the app starts).</summary>
    public string NameOf(string resource, string target)
    {
        var name = $"{_prefix}-{resource}-{target.Trim('/').Replace('/', '-')}";
        _names.Add(name);
        return name;
    }

    /// <summary>Removes the volumes, in one command: each is a runtime call on the way out of a test, the last graph's on the run's end.</summary>
    public void Dispose()
    {
        if (_names.Count > 0)
        {
            ContainerHost.Run(runtime ?? ContainerHost.Runtime, ["volume", "rm", "--force", .. _names]);
        }
    }
}
