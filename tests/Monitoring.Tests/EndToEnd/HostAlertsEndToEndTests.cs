using System.Globalization;
using Monitoring.Tests.Infrastructure;

namespace Monitoring.Tests.EndToEnd;

/// <summary>
/// Alerts about pressure, fired end to end - fault, Prometheus, Alertmanager, the webhook - without starving the machine
/// the tests run on, on a graph of its own. Host: node-exporter (the real one) reads a crafted /proc describing a CPU
/// that is never idle and 5% of memory available, and a 1 MiB filesystem that the test fills step by step.
/// Notification queue: Prometheus runs with a queue of 20 that it refills every second while Alertmanager, paused,
/// accepts connections but never answers.
/// </summary>
public class HostAlertsEndToEndTests(StackFixture stack)
{
    private const long FilesystemBytes = 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_busy_cpu_low_memory_a_filling_filesystem_and_a_filling_notification_queue_are_alerted_to_the_webhook()
    {
        await ContainerHost.RequireImagesAsync([.. ContainerHost.GraphImages, ContainerHost.ProbesBaseImage]);
        await stack.StartEndedAsync().WaitAsync(Ct);
        using var volumes = new TestVolumes();
        using var host = new ReadableTempDirectory();
        // On Linux the AppHost mounts the host's root at /host (read-only), so the tmpfs goes on a folder that exists
        // there; elsewhere (Docker Desktop) node-exporter reads no host filesystem, and the test points it at a /host
        // of the container's own, where any path will do.
        var mountpoint = OperatingSystem.IsLinux() ? Path.Combine(host.Path, "fill") : "/monitoring-test/fill";
        if (OperatingSystem.IsLinux())
        {
            Directory.CreateDirectory(mountpoint);
        }

        using var proc = new ReadableTempDirectory();
        // Counters that never change: no idle time accrues, so the CPU is 100% busy.
        proc.Write("stat", "cpu  1000 0 500 20000 0 0 0 0 0 0\ncpu0 1000 0 500 20000 0 0 0 0 0 0\nbtime 1700000000\nprocs_running 1\nprocs_blocked 0\n");
        proc.Write("meminfo", "MemTotal:       16000000 kB\nMemFree:          500000 kB\nMemAvailable:     800000 kB\n");
        // A filesystem of a type the rules watch, backed by a 1 MiB tmpfs inside the container. node-exporter 1.9+ reads
        // the mount table from <procfs>/1/mountinfo (falling back to self/mountinfo; 1/mounts before 1.9):
        // collector/filesystem_linux.go at v1.9.0, mountPointDetails. Fields: id, parent, major:minor, root, mount
        // point, options, optional fields, '-', fstype, source, super options (proc(5)).
        proc.Write("1/mountinfo", $"36 25 0:50 / {mountpoint} rw,relatime shared:1 - ext4 fill rw\n");

        // The CPU and memory faults are there from node-exporter's start, so their alerts may reach this graph's own
        // webhook before the start returns (seen here: delivered 1 s before it; a warning repeats only after 4 h, so
        // looking for arrivals from then on timed out). Everything this graph's webhook received is this graph's.
        var since = DateTimeOffset.UtcNow;
        await using var app = await TestStack.StartAsync(volumes, builder =>
        {
            var nodeExporter = builder.CreateResourceBuilder(builder.Resources.OfType<NodeExporterResource>().Single());
            nodeExporter.WithBindMount(proc.Path, "/fakeproc", isReadOnly: true)
                .WithArgs("--path.procfs=/fakeproc")
                .WithArgs(OperatingSystem.IsLinux() ? [] : ["--path.rootfs=/host"])
                .WithContainerRuntimeArgs("--mount", $"type=tmpfs,destination=/host{mountpoint},tmpfs-size={FilesystemBytes}");
            builder.CreateResourceBuilder(builder.Resources.OfType<PrometheusResource>().Single())
                // Room for every alert this graph fires (fewer than 20: a queue of 2 dropped host alerts whenever more
                // than two were firing at once, on a busy machine), yet filled within seconds while Alertmanager hangs.
                .WithArgs("--alertmanager.notification-queue-capacity=20");
        }, Ct, [.. TestStack.Only("alertmanager", "node-exporter"),
            // The webhook's Probes as its container: no container reaches a host process, so the orchestrator sets up no
            // container tunnel, which held Alertmanager and Prometheus back 15 to 25 s here. The tests here are about
            // Prometheus, node-exporter and Alertmanager; the delivery through the tunnel is proven on the other graphs.
            "Monitoring:ProbesHosting=Container",
            // The queue refills every second.
            "Monitoring:AlertResendDelay=1s"]);
        var probes = app.CreateHttpClient("probes", "http");
        var prometheus = new PrometheusApi(app.CreateHttpClient("prometheus", "http"));

        // Filled (as root: the tmpfs belongs to root, whatever mode is asked for) in steps Prometheus sees one by one, so the trend predict_linear reads is downward, down to 2% left.
        var container = app.ContainerIdOf("node-exporter");
        var avail = $"node_filesystem_avail_bytes{{job=\"node\", mountpoint=\"{mountpoint}\"}}";
        for (var step = 1; step <= 5; step++)
        {
            var usedKiB = step * FilesystemBytes / 1024 * 98 / 100 / 5;
            var used = usedKiB * 1024;
            var (exitCode, output) = ContainerHost.Run(["exec", "--user", "root", container, "dd", "if=/dev/zero", $"of=/host{mountpoint}/fill", "bs=1024", $"count={usedKiB}"]);
            Assert.True(exitCode == 0, output);
            await Wait.UntilAsync($"Prometheus to see {used} bytes used", async ct =>
                (await prometheus.QueryAsync(avail, ct)).EnumerateArray().Any(r =>
                    double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture) <= FilesystemBytes - used),
                TimeSpan.FromSeconds(60), Ct);
        }

        string[] alerts = ["HostHighCpuLoad", "HostMemoryLow", "NodeFilesystemSpaceFillingUp", "NodeFilesystemAlmostOutOfSpace"];
        DeliveredAlert[] delivered;
        try
        {
            delivered = await Task.WhenAll(alerts.Select(a => Webhook.AlertAsync(probes, a, "firing", since, Ct,
                a.StartsWith("NodeFilesystem", StringComparison.Ordinal) ? new Dictionary<string, string> { ["mountpoint"] = mountpoint } : null)));
        }
        catch (TimeoutException e)
        {
            // What Prometheus held and how its notifier fared, to tell a rule that did not fire from a send that failed.
            var state = string.Join("; ", await Task.WhenAll(
                new[] { "ALERTS", "prometheus_notifications_queue_length", "prometheus_notifications_dropped_total", "prometheus_notifications_errors_total", "node_cpu_seconds_total", "node_memory_MemAvailable_bytes" }
                    .Select(async q => $"{q}: {await prometheus.QueryAsync(q, Ct)}")));
            throw new TimeoutException($"{e.Message} In Prometheus: {state}", e);
        }

        foreach (var (alertname, alert) in alerts.Zip(delivered))
        {
            Assert.Equal($"docs/alerts.md#{alertname.ToLowerInvariant()}", alert.Annotation("runbook_url"));
            Assert.NotEqual("", alert.Label("instance"));
        }

        // Alertmanager paused: Prometheus' sends hang until they time out, and the queue fills faster than it drains.
        var alertmanager = app.ContainerIdOf("alertmanager");
        since = DateTimeOffset.UtcNow;
        (int ExitCode, string Output) unpaused;
        try
        {
            // runc may fail to freeze a container whose processes the busy machine has not let settle ("unable to
            // freeze"): the pause is tried again until Docker reports the container paused. (Inside this try, so that a
            // pause that took effect late is undone too.)
            var pause = "";
            try
            {
                await Wait.UntilAsync("Alertmanager paused", _ =>
                {
                    (var exitCode, pause) = ContainerHost.Run(ContainerHost.Runtime, ["pause", alertmanager], TimeSpan.FromSeconds(20));
                    return Task.FromResult(exitCode == 0 || ContainerHost.Run(["inspect", "--format", "{{.State.Paused}}", alertmanager]).Output.Trim() == "true");
                }, TimeSpan.FromSeconds(30), Ct);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message} docker pause said: {pause}", e);
            }

            await Wait.UntilAsync("PrometheusNotificationQueueRunningFull to fire in Prometheus", async ct =>
                (await prometheus.QueryAsync("ALERTS{alertname=\"PrometheusNotificationQueueRunningFull\", alertstate=\"firing\"}", ct)).GetArrayLength() > 0,
                TimeSpan.FromMinutes(2), Ct);
        }
        finally
        {
            unpaused = ContainerHost.Run(["unpause", alertmanager]);
        }

        Assert.True(unpaused.ExitCode == 0, $"Alertmanager could not be unpaused: {unpaused.Output}");

        var queue = await Webhook.AlertAsync(probes, "PrometheusNotificationQueueRunningFull", "firing", since, Ct);
        Assert.Equal("prometheus", queue.Label("job"));
    }
}
