using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Monitoring.Bench;

/// <summary>
/// The start-up benchmark's reference, derived from the AppHost's own run rather than kept by hand: every container the
/// AppHost ran, read back from Docker (<c>docker inspect</c>: image, entrypoint, arguments, environment, user, working
/// directory, mounts, network aliases, pid mode, ports), started again by plain <c>docker run</c> on a network of its
/// own, with volumes of its own and copies of the files the AppHost generated, and polled for readiness where the
/// AppHost's health checks polled it (the HTTP path each check asked, <see cref="Graph.HealthPaths"/>). A project (Probes)
/// runs as its container on the official ASP.NET Core image, from its build output, under the address the containers
/// reach it at through Aspire's tunnel (nothing on the host is reachable from plain containers without binding beyond
/// loopback). The commands are written to <c>artifacts/bench/startup-plain.sh</c>, to read or run by hand.
/// </summary>
internal sealed class PlainDocker
{
    private readonly List<Container> _containers;
    private readonly string _files;

    private PlainDocker(List<Container> containers, string files)
    {
        _containers = containers;
        _files = files;
    }

    /// <summary>A container to start, and how to tell it is ready.</summary>
    private sealed record Container(
        string Name, string Image, IReadOnlyList<string> Entrypoint, IReadOnlyList<string> Command, IReadOnlyList<string> Environment, string User,
        string WorkingDirectory, string PidMode, IReadOnlyList<string> Aliases, IReadOnlyList<Mount> Mounts, IReadOnlyList<int> Ports, Readiness Ready);

    /// <summary>A bind mount (<see cref="Source"/>) or a volume (<see cref="Source"/> null: the run's own).</summary>
    private sealed record Mount(string? Source, string Target, bool ReadOnly);

    /// <summary>
    /// An HTTP path on a container port; for Postgres (whose health check is a connection), the password to connect
    /// with; neither: the container running (a health check the reference does not reproduce: Kafka's metadata request,
    /// Airflow's components', where their images can be had).
    /// </summary>
    private sealed record Readiness(int Port, string? HttpPath, string? PostgresPassword)
    {
        public string Description => HttpPath is { } p ? $"GET :{Port}{p}" : PostgresPassword is not null ? $"a Postgres connection on :{Port}" : "running (its check is not reproduced)";
    }

    /// <summary>
    /// Reads back what the running graph's containers are, while it runs: the files the AppHost generated are copied
    /// (it deletes them when it stops).
    /// </summary>
    /// <param name="graph">The AppHost's graph, healthy.</param>
    /// <returns>The reference, ready to run.</returns>
    public static async Task<PlainDocker> CaptureAsync(Graph graph)
    {
        var files = Directory.CreateTempSubdirectory("monitoring-bench-plain-").FullName;
        // The containers read the copies as their own users.
        ReadableByAll(files);
        var containers = new List<Container>();
        var model = graph.App.Services.GetRequiredService<DistributedApplicationModel>();
        foreach (var name in graph.Resources)
        {
            var resource = model.Resources.Single(r => r.Name == name);
            containers.Add(resource switch
            {
                ContainerResource container => await InspectAsync(graph, container, files),
                ProjectResource project => AsContainer(graph, project),
                _ => throw new InvalidOperationException($"{name}: neither a container nor a project; the plain reference cannot start it."),
            });
        }

        return new(containers, files);
    }

    /// <summary>Starts every container by plain <c>docker run</c>, waits until each is ready, and removes everything it started.</summary>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The seconds from the network's creation to every container ready.</returns>
    public async Task<double> RunAsync(CancellationToken cancellationToken)
    {
        var net = $"bench-plain-{Guid.NewGuid():n}"[..20];
        var commands = new List<string[]> { new[] { "network", "create", net } };
        commands.AddRange(_containers.Select(c => RunCommand(net, c)));
        WriteScript(commands);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        try
        {
            foreach (var command in commands)
            {
                var (exit, output) = ContainerHost.Run(ContainerHost.Docker, command);
                if (exit != 0)
                {
                    throw new InvalidOperationException($"docker {string.Join(' ', command)} failed: {output}");
                }
            }

            // Each container's published readiness port, asked once (docker run has published it).
            var addresses = _containers.ToDictionary(c => c.Name, c => HostAddress(net, c));
            var pending = _containers.ToList();
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromMinutes(5));
            while (pending.Count > 0)
            {
                var ready = await Task.WhenAll(pending.Select(c => IsReadyAsync(http, net, c, addresses[c.Name], limit.Token)));
                pending = [.. pending.Where((_, i) => !ready[i])];
                if (pending.Count > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), limit.Token);
                }
            }

            return clock.Elapsed.TotalSeconds;
        }
        finally
        {
            ContainerHost.Run(ContainerHost.Docker, ["rm", "--force", .. _containers.Select(c => $"{net}-{c.Name}")]);
            ContainerHost.Run(ContainerHost.Docker, ["volume", "rm", "--force", .. _containers.SelectMany(c => c.Mounts.Where(m => m.Source is null).Select(m => VolumeName(net, c, m)))]);
            ContainerHost.Run(ContainerHost.Docker, ["network", "rm", net]);
        }
    }

    /// <summary>Removes the copies of the generated files.</summary>
    public void Delete() => Directory.Delete(_files, recursive: true);

    private static async Task<Container> InspectAsync(Graph graph, ContainerResource resource, string files)
    {
        graph.App.ResourceNotifications.TryGetCurrentState(resource.Name, out var state);
        var id = state?.Snapshot.Properties.FirstOrDefault(p => p.Name == "container.id")?.Value as string
            ?? throw new InvalidOperationException($"{resource.Name} has no container id.");
        var (exit, output) = ContainerHost.Run(ContainerHost.Docker, ["inspect", id]);
        if (exit != 0)
        {
            throw new InvalidOperationException($"docker inspect {resource.Name}: {output}");
        }

        var inspected = JsonDocument.Parse(output).RootElement[0];
        var config = inspected.GetProperty("Config");
        var mounts = new List<Mount>();
        foreach (var mount in inspected.GetProperty("Mounts").EnumerateArray())
        {
            var target = mount.GetProperty("Destination").GetString()!;
            var readOnly = !mount.GetProperty("RW").GetBoolean();
            if (mount.GetProperty("Type").GetString() == "volume")
            {
                mounts.Add(new(null, target, readOnly));
                continue;
            }

            // A file or folder the AppHost generated for this run (under the temporary folder) is gone once it stops:
            // the reference gets a copy; the checked-in provisioning and the host's own paths are mounted as they are.
            var source = mount.GetProperty("Source").GetString()!;
            if (source.StartsWith(Path.GetTempPath(), StringComparison.Ordinal))
            {
                var copy = Path.Combine(files, resource.Name, target.Trim('/').Replace('/', '-'));
                Copy(source, copy);
                source = copy;
            }

            mounts.Add(new(source, target, readOnly));
        }

        var aliases = inspected.GetProperty("NetworkSettings").GetProperty("Networks").EnumerateObject()
            .SelectMany(n => n.Value.TryGetProperty("Aliases", out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray().Select(x => x.GetString()!) : [])
            .Where(a => !id.StartsWith(a, StringComparison.Ordinal)).Distinct().ToList();
        var ports = config.TryGetProperty("ExposedPorts", out var exposed) && exposed.ValueKind == JsonValueKind.Object
            ? exposed.EnumerateObject().Select(p => int.Parse(p.Name.Split('/')[0], CultureInfo.InvariantCulture)).ToList()
            : [];
        var environment = Strings(config, "Env");
        return new(resource.Name, config.GetProperty("Image").GetString()!, Strings(config, "Entrypoint"), Strings(config, "Cmd"), environment,
            config.GetProperty("User").GetString() ?? "", config.GetProperty("WorkingDir").GetString() ?? "",
            inspected.GetProperty("HostConfig").GetProperty("PidMode").GetString() ?? "", aliases, mounts, ports,
            await ReadinessAsync(graph, resource));
    }

    private static async Task<Readiness> ReadinessAsync(Graph graph, ContainerResource resource)
    {
        if (graph.HealthPaths.TryGetValue(resource.Name, out var path))
        {
            return new Readiness(path.TargetPort, path.Path, null);
        }

        // The AppHost's Postgres health check opens a connection (Aspire.Hosting.PostgreSQL's NpgSql check), with the
        // password parameter the container was given.
        if (resource is PostgresServerResource postgres)
        {
            return new Readiness(postgres.PrimaryEndpoint.TargetPort ?? 5432, null, await postgres.PasswordParameter.GetValueAsync(CancellationToken.None));
        }

        Console.WriteLine($"  {resource.Name}: its health check is neither HTTP nor Postgres' connection; the plain start counts it ready once it runs");
        return new Readiness(0, null, null);
    }

    private static Container AsContainer(Graph graph, ProjectResource project)
    {
        // The address the containers reach it at: Aspire's tunnel, in the container network.
        var endpoint = project.GetEndpoint("http", KnownNetworkIdentifiers.DefaultAspireContainerNetwork);
        var name = Path.GetFileNameWithoutExtension(project.GetProjectMetadata().ProjectPath);
        // The newest build of the project (the AppHost ran the one F5 builds).
        var output = new[] { "Release", "Debug" }.Select(c => Path.Combine(Path.GetDirectoryName(project.GetProjectMetadata().ProjectPath)!, "bin", c, "net10.0"))
            .Where(d => File.Exists(Path.Combine(d, name + ".dll"))).OrderByDescending(d => File.GetLastWriteTimeUtc(Path.Combine(d, name + ".dll"))).FirstOrDefault()
            ?? throw new InvalidOperationException($"{project.Name}: no build output of {name}; build it first.");
        var path = graph.HealthPaths.TryGetValue(project.Name, out var health) ? health.Path
            : throw new InvalidOperationException($"{project.Name}: its health check asked no HTTP path while the graph started.");
        return new(project.Name, ProbesBuilderExtensions.RuntimeImage, ["dotnet"], [$"/app/{name}.dll"], [$"ASPNETCORE_URLS=http://+:{endpoint.Port}"],
            "1654", "/app", "", [endpoint.Host], [new(output, "/app", true)], [endpoint.Port], new(endpoint.Port, path, null));
    }

    private static string[] RunCommand(string net, Container c)
    {
        var args = new List<string> { "run", "-d", "--name", $"{net}-{c.Name}", "--network", net };
        args.AddRange(c.Aliases.SelectMany(a => new[] { "--network-alias", a }));
        args.AddRange(c.Ports.SelectMany(p => new[] { "-p", $"127.0.0.1::{p}" }));
        args.AddRange(c.Environment.SelectMany(e => new[] { "-e", e }));
        args.AddRange(c.Mounts.SelectMany(m => new[] { "-v", $"{m.Source ?? VolumeName(net, c, m)}:{m.Target}{(m.ReadOnly ? ":ro" : "")}" }));
        if (c.User.Length > 0)
        {
            args.AddRange(["-u", c.User]);
        }

        if (c.WorkingDirectory.Length > 0)
        {
            args.AddRange(["-w", c.WorkingDirectory]);
        }

        if (c.PidMode.Length > 0)
        {
            args.Add($"--pid={c.PidMode}");
        }

        if (c.Entrypoint.Count > 0)
        {
            args.AddRange(["--entrypoint", c.Entrypoint[0]]);
        }

        return [.. args, c.Image, .. c.Entrypoint.Skip(1), .. c.Command];
    }

    private static string VolumeName(string net, Container c, Mount m) => $"{net}-{c.Name}-{m.Target.Trim('/').Replace('/', '-')}";

    /// <summary>The host address (127.0.0.1:port) docker published the readiness port at, or null when it is not checked on a port.</summary>
    private static string? HostAddress(string net, Container c)
    {
        if (c.Ready.HttpPath is null && c.Ready.PostgresPassword is null)
        {
            return null;
        }

        var (exit, output) = ContainerHost.Run(ContainerHost.Docker, ["port", $"{net}-{c.Name}", c.Ready.Port.ToString(CultureInfo.InvariantCulture)]);
        return exit == 0 && output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is { } address
            ? address.Trim()
            : throw new InvalidOperationException($"docker port {c.Name} {c.Ready.Port}: {output}");
    }

    private static async Task<bool> IsReadyAsync(HttpClient http, string net, Container c, string? address, CancellationToken ct)
    {
        if (address is null)
        {
            var (exit, output) = ContainerHost.Run(ContainerHost.Docker, ["inspect", "--format", "{{.State.Running}}", $"{net}-{c.Name}"]);
            return exit == 0 && output.Trim() == "true";
        }

        try
        {
            if (c.Ready.HttpPath is { } path)
            {
                using var response = await http.GetAsync($"http://{address}{path}", ct);
                return response.IsSuccessStatusCode;
            }

            var port = address.Split(':')[^1];
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Password={c.Ready.PostgresPassword};Pooling=false;Timeout=2");
            await connection.OpenAsync(ct);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or NpgsqlException or IOException)
        {
            return false;
        }
    }

    private void WriteScript(List<string[]> commands)
    {
        var script = new StringBuilder();
        script.AppendLine("#!/usr/bin/env bash");
        script.AppendLine("# The start-up benchmark's reference (bench/Monitoring.Bench/PlainDocker.cs): the containers the AppHost ran,");
        script.AppendLine("# read back with docker inspect, started by plain docker run. Written by the last benchmark run; the files it");
        script.AppendLine($"# mounts from {_files} were removed after it.");
        foreach (var command in commands)
        {
            script.AppendLine("docker " + string.Join(' ', command.Select(Quote)));
        }

        script.AppendLine($"# readiness: {string.Join("; ", _containers.Select(c => $"{c.Name} {c.Ready.Description}"))}");
        var path = Repo.Path("artifacts", "bench", "startup-plain.sh");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, script.ToString());
    }

    private static string Quote(string word) =>
        word.All(ch => char.IsAsciiLetterOrDigit(ch) || "-_./:=@,+".Contains(ch)) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static List<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(v => v.GetString()!)] : [];

    private static void Copy(string source, string target)
    {
        if (File.Exists(source))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
            ReadableByAll(target);
            return;
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        Directory.CreateDirectory(target);
        foreach (var entry in Directory.EnumerateFileSystemEntries(target, "*", SearchOption.AllDirectories).Append(target))
        {
            ReadableByAll(entry);
        }
    }

    /// <summary>rwxr-xr-x for a folder, rw-r--r-- for a file (the benchmarks run on Linux: /proc, cgroups).</summary>
    private static void ReadableByAll(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)(File.GetAttributes(path).HasFlag(FileAttributes.Directory) ? 0b111_101_101 : 0b110_100_100));
        }
    }
}
