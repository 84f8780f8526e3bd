using EventSourcing.Grpc.Hosting;

namespace EventSourcing.Runner.Cli.Manifests;

/// <summary>
/// Docker Compose: a service per application, healthy when es-node's own health check says so, each follower started
/// once its leaders are healthy; the secret settings from an env file and the node credentials as secret files beside
/// the compose file; a volume per application that keeps SQLite files.
/// </summary>
internal static class ComposeManifest
{
    public const string FileName = "compose.yaml";
    public const string SecretsFile = "secrets.env";
    public const string CredentialsDirectory = "credentials";

    public static IReadOnlyList<ManifestFile> Write(SystemLayout layout, string image)
    {
        var credentials = layout.Placement.Credentials;
        var services = new YamlMap();
        foreach (var node in layout.Nodes)
        {
            services[node.ResourceName] = Service(layout, node, image);
        }

        var volumes = new YamlMap();
        foreach (var node in layout.Nodes.Where(n => n.KeepsFiles))
        {
            volumes[VolumeName(node)] = new YamlMap();
        }

        var secrets = new YamlMap();
        foreach (var name in credentials.Names)
        {
            secrets[name] = new YamlMap { ["file"] = $"{CredentialsDirectory}/{name}" };
        }

        var compose = new YamlMap
        {
            ["name"] = layout.ResourceName,
            ["services"] = services,
            ["volumes"] = volumes.Count > 0 ? volumes : null,
            ["secrets"] = secrets,
        };
        return
        [
            new ManifestFile(FileName, Yaml.Document(
                compose,
                [
                    $"The {layout.SystemName} system for Docker Compose, written by es-runner manifest: a service per application.",
                    $"Before `docker compose up`, put beside this file {SecretsFile} and, in {CredentialsDirectory}/, {string.Join(", ", credentials.Names)}:",
                    .. ManifestText.CredentialsHelp(credentials, [.. layout.Nodes.Select(n => n.ResourceName), "localhost"]),
                ])),
        ];
    }

    private static YamlMap Service(SystemLayout layout, LayoutNode node, string image)
    {
        var placement = layout.Placement;
        var dependsOn = new YamlMap();
        foreach (var leader in node.StartsAfter)
        {
            dependsOn[layout.Node(leader).ResourceName] = new YamlMap { ["condition"] = "service_healthy" };
        }

        return new YamlMap
        {
            ["image"] = image,
            ["command"] = ManifestText.Command(layout, node),
            ["environment"] = layout.Settings,
            ["env_file"] = new[] { SecretsFile },
            ["secrets"] = placement.Credentials.Files.Select(file => new YamlMap { ["source"] = file.Name, ["target"] = file.Path }).ToList(),
            ["ports"] = new[] { $"127.0.0.1:{node.Port}:{node.Port}" },
            ["volumes"] = node.KeepsFiles ? new[] { $"{VolumeName(node)}:{placement.DataDir}" } : null,
            ["healthcheck"] = new YamlMap
            {
                ["test"] = (string[])["CMD", placement.Dotnet, placement.NodeAssembly, HealthCommand.Name, "--url", NodeCommandLine.Address(placement.HealthListen!)],
                ["interval"] = "5s",
                ["timeout"] = "5s",
                ["retries"] = 3,
                ["start_period"] = "60s",
            },
            ["depends_on"] = dependsOn.Count > 0 ? dependsOn : null,
            ["restart"] = "on-failure",
        };
    }

    private static string VolumeName(LayoutNode node) => $"{node.ResourceName}-data";
}
