using System.CommandLine;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Grpc.Processes;

namespace EventSourcing.Runner.Cli.Manifests;

/// <summary>
/// <c>es-runner manifest</c>: writes, from a system's definition, what an orchestrator needs to run it as <c>run</c>
/// would (the same nodes, names, ports and leaders): Kubernetes objects, a Docker Compose file, or systemd units.
/// </summary>
internal static class ManifestCommand
{
    public const int DefaultBasePort = 5001;
    public const int DefaultHealthPort = 8081;
    public const string DefaultImage = "es-node:latest";

    private static readonly string[] Formats = ["kubernetes", "compose", "systemd"];

    public static Command Create()
    {
        var system = new Option<string>("--system") { Description = "The system: a [SystemDefinition] name (e.g. DogSchool) or path/to/Assembly.dll:Namespace.Type", Required = true };
        var assembly = new Option<string[]>(NodeCommandLine.AssemblyOption)
        {
            Description = "An assembly that defines systems, to find --system in by name (repeatable; those beside es-runner are searched too)",
            AllowMultipleArgumentsPerToken = false,
        };
        var format = new Option<string>("--format") { Description = $"What to write: {string.Join(", ", Formats)}", Required = true };
        var output = new Option<string?>("--output") { Description = "The directory to write the files in (default: print them)" };
        var env = new Option<string[]>("--env") { Description = "KEY=VALUE for every node's settings, as with run (repeatable; not for secrets, which the manifests read from files you create)" };
        var basePort = new Option<int>("--base-port") { Description = $"Node i listens on BASE+i, as with run (default {DefaultBasePort})", DefaultValueFactory = _ => DefaultBasePort };
        var image = new Option<string?>("--image") { Description = $"kubernetes, compose: the container image with dotnet and es-node (default {DefaultImage})" };
        var healthPort = new Option<int?>("--health-port") { Description = $"kubernetes, compose: the port each node serves its health checks on, in plaintext (default {DefaultHealthPort})" };
        var host = new Option<string?>("--host") { Description = "systemd: the address every node listens on and is reached at (default 127.0.0.1; beyond loopback the nodes serve https)" };
        var configDir = new Option<string?>("--config-dir") { Description = "systemd: where the units read settings.env, secrets.env and the credentials (default /etc/eventsourcing/SYSTEM)" };
        var dataDir = new Option<string?>("--data-dir") { Description = "Where SQLite files go where the nodes run (default /var/lib/eventsourcing, and /var/lib/eventsourcing/SYSTEM for systemd)" };
        var dotnet = new Option<string?>("--dotnet") { Description = "The dotnet executable where the nodes run (default: dotnet in a container, the one running es-runner for systemd)" };
        var esNode = new Option<string?>("--es-node") { Description = "es-node.dll where the nodes run (default: /app/es-node.dll in a container, the one beside es-runner for systemd)" };
        var command = new Command("manifest", "Write what an orchestrator (Kubernetes, Docker Compose, systemd) needs to run the system, one workload per application")
        {
            system, assembly, format, output, env, basePort, image, healthPort, host, configDir, dataDir, dotnet, esNode,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            try
            {
                var request = new Request(
                    parsed.GetValue(system)!,
                    parsed.GetValue(assembly) ?? [],
                    parsed.GetValue(format)!,
                    parsed.GetValue(env) ?? [],
                    parsed.GetValue(basePort),
                    parsed.GetValue(image),
                    parsed.GetValue(healthPort),
                    parsed.GetValue(host),
                    parsed.GetValue(configDir),
                    parsed.GetValue(dataDir),
                    parsed.GetValue(dotnet),
                    parsed.GetValue(esNode));
                var files = Write(request);
                await OutputAsync(files, parsed.GetValue(output), cancellationToken);
                return 0;
            }
            catch (EventSourcingException ex)
            {
                await Console.Error.WriteLineAsync($"es-runner manifest: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>The files of the manifest <paramref name="request"/> asks for.</summary>
    public static IReadOnlyList<ManifestFile> Write(Request request)
    {
        var format = request.Format.Trim().ToLowerInvariant();
        if (!Formats.Contains(format))
        {
            throw new ConfigurationException($"--format {request.Format} is not a format: use {string.Join(", ", Formats)}");
        }

        var containers = format != "systemd";
        RefuseOptions(format, containers
            ? [("--host", request.Host), ("--config-dir", request.ConfigDir)]
            : [("--image", request.Image), ("--health-port", request.HealthPort?.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        var settings = RunnerCommandLine.ParsePairs("--env", request.EnvPairs);
        RunnerCommandLine.RefuseSecrets("--env", settings);
        CheckPort("--base-port", request.BasePort);
        var (name, system) = SystemCatalog.Find(request.SystemSpec, request.Assemblies);
        CheckPort("--base-port", request.BasePort + system.Nodes.Count - 1);
        var systemName = SystemLayout.ResourceNameOf(name, "The system");
        var placement = containers ? ContainerPlacement(request, format) : SystemdPlacement(request, systemName);
        var layout = SystemLayout.Create(name, system, request.SystemSpec, request.Assemblies, settings, request.BasePort, placement, filesOnVolumes: containers);
        return format switch
        {
            "kubernetes" => KubernetesManifest.Write(layout, request.Image ?? DefaultImage),
            "compose" => ComposeManifest.Write(layout, request.Image ?? DefaultImage),
            _ => SystemdManifest.Write(layout, request.ConfigDir ?? DefaultConfigDir(systemName)),
        };
    }

    /// <summary>In a container: listening on every address, reached by service name, https with a token, health in plaintext.</summary>
    private static Placement ContainerPlacement(Request request, string format)
    {
        var healthPort = request.HealthPort ?? DefaultHealthPort;
        CheckPort("--health-port", healthPort);
        var nodeAssembly = request.EsNode ?? "/app/es-node.dll";
        var nodeDirectory = nodeAssembly.Contains('/', StringComparison.Ordinal) ? nodeAssembly[..nodeAssembly.LastIndexOf('/')] : ".";
        return new Placement(
            ListenHost: "0.0.0.0",
            AddressOf: resourceName => resourceName,
            Tls: true,
            Credentials: CredentialFiles.In(KubernetesManifest.CredentialsDirectory, tls: true),
            // Kubernetes' probes come from outside the pod; compose runs its health check inside the container.
            HealthListen: new Uri($"http://{(format == "kubernetes" ? "0.0.0.0" : "127.0.0.1")}:{healthPort}"),
            Dotnet: request.Dotnet ?? "dotnet",
            NodeAssembly: nodeAssembly,
            AssemblyPath: path => $"{nodeDirectory}/{Path.GetFileName(path)}",
            DataDir: request.DataDir ?? KubernetesManifest.DataDirectory);
    }

    /// <summary>On one host: listening on --host (https beyond loopback), with a token, the files where es-runner sees them.</summary>
    private static Placement SystemdPlacement(Request request, string systemName)
    {
        var host = request.Host ?? "127.0.0.1";
        if (!System.Net.IPAddress.TryParse(host, out var address))
        {
            throw new ConfigurationException($"--host {host} is not an IP address");
        }

        var tls = !System.Net.IPAddress.IsLoopback(address);
        return new Placement(
            ListenHost: host,
            AddressOf: _ => host,
            Tls: tls,
            Credentials: CredentialFiles.In(request.ConfigDir ?? DefaultConfigDir(systemName), tls),
            HealthListen: null,
            Dotnet: request.Dotnet ?? DotnetHost.Executable,
            NodeAssembly: request.EsNode ?? DotnetHost.NodeAssembly(),
            AssemblyPath: Path.GetFullPath,
            DataDir: request.DataDir ?? $"/var/lib/eventsourcing/{systemName}");
    }

    private static string DefaultConfigDir(string systemName) => $"/etc/eventsourcing/{systemName}";

    private static void RefuseOptions(string format, IEnumerable<(string Option, string? Value)> options)
    {
        foreach (var (option, value) in options)
        {
            if (value is not null)
            {
                throw new ConfigurationException($"{option} does not apply to --format {format}");
            }
        }
    }

    private static void CheckPort(string option, int port)
    {
        if (port is < 1 or > 65535)
        {
            throw new ConfigurationException($"{option}: port {port} is not between 1 and 65535");
        }
    }

    /// <summary>Prints the files (each under a <c># FILE</c> line when there are several), or writes them in <paramref name="directory"/>.</summary>
    private static async Task OutputAsync(IReadOnlyList<ManifestFile> files, string? directory, CancellationToken cancellationToken)
    {
        if (directory is null)
        {
            foreach (var file in files)
            {
                await Console.Out.WriteAsync(files.Count == 1 ? file.Content : $"# ==> {file.Name} <==\n{file.Content}\n");
            }

            return;
        }

        try
        {
            Directory.CreateDirectory(directory);
            foreach (var file in files)
            {
                var path = Path.Combine(directory, file.Name);
                await File.WriteAllTextAsync(path, file.Content, cancellationToken);
                Console.WriteLine($"wrote {path}");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"--output {directory}: {ex.Message}", ex);
        }
    }

    /// <summary>What <c>manifest</c> was told on its command line.</summary>
    internal sealed record Request(
        string SystemSpec,
        string[] Assemblies,
        string Format,
        string[] EnvPairs,
        int BasePort,
        string? Image,
        int? HealthPort,
        string? Host,
        string? ConfigDir,
        string? DataDir,
        string? Dotnet,
        string? EsNode);
}
