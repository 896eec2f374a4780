using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Monitoring.Tests.Infrastructure;

/// <summary>
/// What a test's graphs keep between their starts, and nobody else's: the named volumes and the values of the
/// generated secret parameters (passwords). Unique to the test (so a test neither sees nor leaves a developer's data,
/// nor reads or writes the AppHost's user secrets, which every graph generating its own password at once would race
/// on), the same for every app it builds (so a second start finds the first one's data, and opens it with the same
/// password), and the volumes are removed on dispose.
/// </summary>
/// <param name="runtime">The container runtime that holds the volumes (the default one unless given).</param>
public sealed class TestVolumes(string? runtime = null) : IDisposable
{
    private readonly HashSet<string> _names = [];
    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);

    /// <summary>The prefix of the volumes' names, unique to this test.</summary>
    public string Name { get; } = $"monitoring-test-{Guid.NewGuid():n}"[..28];

    /// <summary>The name of the graphs' log when they are not started by a test (<see cref="GraphLog"/>).</summary>
    public string LogName { get; init; } = "graph";

    /// <summary>Renames every volume mount of the app's resources, and gives each generated secret parameter this test's value.</summary>
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

        // The secret parameters with a default are the generated passwords (in run mode their default is the generator
        // wrapped in one that keeps its value in user secrets); the others (receivers' URLs) stay unset.
        foreach (var parameter in builder.Resources.OfType<ParameterResource>().Where(p => p.Secret && p.Default is not null))
        {
            var key = $"Parameters:{parameter.Name}";
            builder.Configuration[key] = _secrets.GetOrAdd(parameter.Name, _ => Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant());
        }
    }

    /// <summary>The name a resource's volume mounted at <paramref name="target"/> gets (it may be created before the app starts).</summary>
    public string NameOf(string resource, string target)
    {
        var name = $"{Name}-{resource}-{target.Trim('/').Replace('/', '-')}";
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
