using Aspire.Hosting.Publishing;

namespace Monitoring.AppHost;

/// <summary>
/// A parameter default that is a plain value. Unlike <c>AddParameter(name, value)</c>, whose value is a constant,
/// a parameter added with this default still takes <c>Parameters:{name}</c> from configuration when it is set.
/// </summary>
/// <param name="value">The default value.</param>
internal sealed class ValueParameterDefault(string value) : ParameterDefault
{
    /// <inheritdoc />
    public override string GetDefaultValue() => value;

    /// <inheritdoc />
    public override void WriteToManifest(ManifestPublishingContext context) => context.Writer.WriteString("value", value);
}
