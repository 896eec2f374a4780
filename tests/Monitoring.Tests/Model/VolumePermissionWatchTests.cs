
namespace Monitoring.Tests.Model;

/// <summary>Which log lines say a container cannot write its volume (lines as Prometheus and Alertmanager print them).</summary>
public class VolumePermissionWatchTests
{
    private static readonly ContainerMountAnnotation[] s_volumes =
    [
        new("prometheus-data", "/prometheus", ContainerMountType.Volume, isReadOnly: false),
        new("alertmanager-data", "/alertmanager", ContainerMountType.Volume, isReadOnly: false),
    ];

    [Theory]
    [InlineData("level=error component=activeQueryTracker msg=\"Error opening query log file\" file=/prometheus/queries.active err=\"open /prometheus/queries.active: permission denied\"", "prometheus-data")]
    [InlineData("level=error component=nflog msg=\"Creating shutdown snapshot failed\" err=\"open /alertmanager/nflog.87a3c56951e88c6: permission denied\"", "alertmanager-data")]
    [InlineData("mkdir /prometheus/wal: read-only file system", "prometheus-data")]
    public void A_denied_write_under_a_volume_names_that_volume(string line, string volume) =>
        Assert.Equal(volume, VolumePermissionWatch.Unwritable(line, s_volumes)?.Source);

    [Theory]
    [InlineData("open /etc/prometheus/prometheus.yml: permission denied")]
    [InlineData("msg=\"TSDB started\" dir=/prometheus")]
    [InlineData("open /prometheus-other/x: permission denied")]
    public void Other_lines_name_no_volume(string line) =>
        Assert.Null(VolumePermissionWatch.Unwritable(line, s_volumes));
}
