namespace Monitoring.AppHost;

/// <summary>
/// One line of <c>eng/images/pins.txt</c>: a component's official image and, where Debian packages it, the package
/// <c>eng/images/build.sh</c> builds its stand-in from, under the official reference, where no registry answers. Both
/// carry the same upstream version, named once, in that file.
/// </summary>
/// <param name="Component">The component (its resource name).</param>
/// <param name="Registry">The official image's registry.</param>
/// <param name="Image">The official image.</param>
/// <param name="Tag">The official image's tag.</param>
/// <param name="DebianPackage">The Debian package of its stand-in; empty when there is none.</param>
/// <param name="DebianSuite">The Debian suite of that package; empty when there is none.</param>
internal sealed record PinnedImage(string Component, string Registry, string Image, string Tag, string DebianPackage, string DebianSuite)
{
    /// <summary>The upstream version: the tag without its leading <c>v</c>.</summary>
    public string Version => Tag.TrimStart('v');

    /// <summary>Whether <c>eng/images/build.sh</c> can build a stand-in of it from Debian's package.</summary>
    public bool HasDebianStandIn => DebianPackage.Length > 0;

    /// <summary>The official image, <c>registry/image:tag</c>: the one reference every graph runs.</summary>
    public string OfficialReference => $"{Registry}/{Image}:{Tag}";
}
