using Xunit.v3;

namespace Monitoring.Tests.Reporting;

/// <summary>
/// Marks a test that may be skipped in CI, saying where: in CI (<c>CI=true</c>) any other skipped test counts as
/// failed (<see cref="SkipPolicy"/>). Only a test whose requirements the CI machine cannot meet by design carries it
/// (the full graph's images, where no registry answers).
/// </summary>
/// <param name="where">Where it skips, and why that is expected.</param>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false)]
public sealed class MaySkipAttribute(string where) : Attribute, ITraitAttribute
{
    /// <summary>The trait's name.</summary>
    public const string TraitName = "MaySkip";

    /// <summary>Where it skips, and why that is expected.</summary>
    public string Where { get; } = where;

    /// <inheritdoc />
    public IReadOnlyCollection<KeyValuePair<string, string>> GetTraits() => [new(TraitName, Where)];
}
