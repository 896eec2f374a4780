namespace Monitoring.Tests.Reporting;

/// <summary>
/// Which skips a run accepts: any, on a developer's machine (each is reported with its reason); in CI (<c>CI=true</c>)
/// only those of tests marked <see cref="MaySkipAttribute"/>, since there a skip means something was not proven.
/// </summary>
/// <param name="IsCi">Whether the run is CI's.</param>
public sealed record SkipPolicy(bool IsCi)
{
    /// <summary>The policy of this process: CI's when the <c>CI</c> variable is <c>true</c> (as CI systems and .ci/run set it).</summary>
    public static SkipPolicy FromEnvironment() =>
        new(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether a skipped test with these traits is accepted.</summary>
    /// <param name="traits">The test's traits.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public bool Allows(IReadOnlyDictionary<string, IReadOnlyCollection<string>> traits) => !IsCi || traits.ContainsKey(MaySkipAttribute.TraitName);
}
