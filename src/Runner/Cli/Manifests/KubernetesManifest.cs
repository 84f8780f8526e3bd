namespace EventSourcing.Runner.Cli.Manifests;

/// <summary>
/// Kubernetes: per application a Service and a Deployment, or a StatefulSet with a volume claim when it keeps SQLite
/// files; the settings in a ConfigMap; secret settings and the node credentials from two Secrets that the manifest
/// names but does not hold.
/// </summary>
internal static class KubernetesManifest
{
    public const string CredentialsDirectory = "/run/secrets/eventsourcing";
    public const string DataDirectory = "/var/lib/eventsourcing";

    public static IReadOnlyList<ManifestFile> Write(SystemLayout layout, string image)
    {
        var system = layout.ResourceName;
        var credentials = layout.Placement.Credentials;
        var documents = new List<string>
        {
            Yaml.Document(
                new YamlMap
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "ConfigMap",
                    ["metadata"] = Metadata(SettingsName(system), system, null),
                    ["data"] = layout.Settings,
                },
                [
                    $"The {layout.SystemName} system on Kubernetes, written by es-runner manifest: a workload and a Service per application.",
                    "It reads two Secrets that this file does not hold; create them first:",
                    $"  kubectl create secret generic {CredentialsName(system)} {string.Join(' ', credentials.Names.Select(n => "--from-file=" + n))}",
                    $"  kubectl create secret generic {SecretsName(system)} --from-env-file=secrets.env",
                    .. ManifestText.CredentialsHelp(credentials, layout.Nodes.Select(n => n.ResourceName)),
                ]),
        };
        foreach (var node in layout.Nodes)
        {
            documents.Add(Yaml.Document(Service(layout, node)));
            documents.Add(Yaml.Document(Workload(layout, node, image)));
        }

        return [new ManifestFile($"{system}.yaml", Yaml.Documents(documents))];
    }

    public static string SettingsName(string system) => $"{system}-settings";

    public static string CredentialsName(string system) => $"{system}-credentials";

    public static string SecretsName(string system) => $"{system}-secrets";

    private static YamlMap Service(SystemLayout layout, LayoutNode node) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = Metadata(node.ResourceName, layout.ResourceName, node.ResourceName),
        ["spec"] = new YamlMap
        {
            ["selector"] = Labels(layout.ResourceName, node.ResourceName),
            ["ports"] = new[] { new YamlMap { ["name"] = "grpc", ["port"] = node.Port, ["targetPort"] = "grpc" } },
        },
    };

    private static YamlMap Workload(SystemLayout layout, LayoutNode node, string image)
    {
        var system = layout.ResourceName;
        var healthPort = layout.Placement.HealthListen!.Port;
        var volumeMounts = new List<YamlMap> { new() { ["name"] = "credentials", ["mountPath"] = CredentialsDirectory, ["readOnly"] = true } };
        if (node.KeepsFiles)
        {
            volumeMounts.Add(new() { ["name"] = "data", ["mountPath"] = layout.Placement.DataDir });
        }

        var container = new YamlMap
        {
            ["name"] = "es-node",
            ["image"] = image,
            ["command"] = ManifestText.Command(layout, node),
            ["ports"] = new[]
            {
                new YamlMap { ["name"] = "grpc", ["containerPort"] = node.Port },
                new YamlMap { ["name"] = "health", ["containerPort"] = healthPort },
            },
            ["envFrom"] = new[]
            {
                new YamlMap { ["configMapRef"] = new YamlMap { ["name"] = SettingsName(system) } },
                new YamlMap { ["secretRef"] = new YamlMap { ["name"] = SecretsName(system) } },
            },
            // Kubernetes' own gRPC probe speaks neither TLS nor tokens: it asks the plaintext health address.
            ["readinessProbe"] = new YamlMap { ["grpc"] = new YamlMap { ["port"] = healthPort }, ["periodSeconds"] = 5, ["failureThreshold"] = 2 },
            ["livenessProbe"] = new YamlMap
            {
                ["grpc"] = new YamlMap { ["port"] = healthPort },
                ["initialDelaySeconds"] = 10,
                ["periodSeconds"] = 10,
                ["failureThreshold"] = 6,
            },
            ["volumeMounts"] = volumeMounts,
        };
        var spec = new YamlMap
        {
            ["serviceName"] = node.KeepsFiles ? node.ResourceName : null,
            ["replicas"] = 1,
            // One node per application at a time: a second follower would process the same events.
            ["strategy"] = node.KeepsFiles ? null : new YamlMap { ["type"] = "Recreate" },
            ["selector"] = new YamlMap { ["matchLabels"] = Labels(system, node.ResourceName) },
            ["template"] = new YamlMap
            {
                ["metadata"] = new YamlMap { ["labels"] = Labels(system, node.ResourceName) },
                ["spec"] = new YamlMap
                {
                    ["containers"] = new[] { container },
                    ["volumes"] = new[] { new YamlMap { ["name"] = "credentials", ["secret"] = new YamlMap { ["secretName"] = CredentialsName(system) } } },
                },
            },
            ["volumeClaimTemplates"] = node.KeepsFiles
                ? new[]
                {
                    new YamlMap
                    {
                        ["metadata"] = new YamlMap { ["name"] = "data" },
                        ["spec"] = new YamlMap
                        {
                            ["accessModes"] = new[] { "ReadWriteOnce" },
                            ["resources"] = new YamlMap { ["requests"] = new YamlMap { ["storage"] = "1Gi" } },
                        },
                    },
                }
                : null,
        };
        return new YamlMap
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = node.KeepsFiles ? "StatefulSet" : "Deployment",
            ["metadata"] = Metadata(node.ResourceName, system, node.ResourceName),
            ["spec"] = spec,
        };
    }

    private static YamlMap Metadata(string name, string system, string? application) => new()
    {
        ["name"] = name,
        ["labels"] = application is null ? new YamlMap { ["app.kubernetes.io/part-of"] = system } : Labels(system, application),
    };

    private static YamlMap Labels(string system, string application) => new()
    {
        ["app.kubernetes.io/name"] = application,
        ["app.kubernetes.io/part-of"] = system,
    };
}
