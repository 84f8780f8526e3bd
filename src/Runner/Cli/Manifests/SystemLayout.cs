using System.Text.RegularExpressions;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Sqlite;

namespace EventSourcing.Runner.Cli.Manifests;

/// <summary>One application of the system as a manifest describes it.</summary>
/// <param name="Name">The application's name (<c>Counters</c>).</param>
/// <param name="ResourceName">Its name as a DNS label (<c>counters</c>): the Service, compose service and unit name part.</param>
/// <param name="Port">Where it listens: the port <c>es-runner run --base-port</c> gives it.</param>
/// <param name="Leaders">The applications it follows, in the system's order.</param>
/// <param name="StartsAfter">
/// Those of its leaders it waits for: all, except a leader that also follows it (directly or not), since a cycle of
/// waits never starts.
/// </param>
/// <param name="KeepsFiles">True when its store is a SQLite file, which must outlive the node (a volume, a state directory).</param>
/// <param name="Arguments">es-node's command line, after <c>dotnet es-node.dll</c>.</param>
internal sealed record LayoutNode(
    string Name,
    string ResourceName,
    int Port,
    IReadOnlyList<string> Leaders,
    IReadOnlyList<string> StartsAfter,
    bool KeepsFiles,
    IReadOnlyList<string> Arguments);

/// <summary>Where a node reads its secret files (a token; a TLS certificate, its key and the CA), as paths where it runs.</summary>
internal sealed record CredentialFiles(string Token, string? TlsCertificate, string? TlsKey, string? TlsCa)
{
    public const string TokenName = "token";
    public const string TlsCertificateName = "tls.crt";
    public const string TlsKeyName = "tls.key";
    public const string TlsCaName = "ca.crt";

    /// <summary>The files, named as above, in <paramref name="directory"/>; the TLS ones only when <paramref name="tls"/>.</summary>
    public static CredentialFiles In(string directory, bool tls)
        => tls
            ? new(Join(directory, TokenName), Join(directory, TlsCertificateName), Join(directory, TlsKeyName), Join(directory, TlsCaName))
            : new(Join(directory, TokenName), null, null, null);

    /// <summary>Each file's name and path, in the order they are listed to the user.</summary>
    public IReadOnlyList<(string Name, string Path)> Files
        => TlsCertificate is null
            ? [(TokenName, Token)]
            : [(TokenName, Token), (TlsCertificateName, TlsCertificate), (TlsKeyName, TlsKey!), (TlsCaName, TlsCa!)];

    /// <summary>The file names, in the order they are listed to the user.</summary>
    public IReadOnlyList<string> Names => [.. Files.Select(f => f.Name)];

    private static string Join(string directory, string name) => directory.TrimEnd('/') + "/" + name;
}

/// <summary>How nodes are reached and where their files are, in the place a manifest runs them.</summary>
/// <param name="ListenHost">The address every node listens on (<c>0.0.0.0</c> in a container).</param>
/// <param name="AddressOf">The host another node reaches an application at, given its DNS-label name (the Service name, or one address).</param>
/// <param name="Tls">Whether nodes serve https (always, when their traffic crosses a network).</param>
/// <param name="HealthListen">Where each node serves its health checks in plaintext, or null for none.</param>
/// <param name="Dotnet">The dotnet executable, where the node runs.</param>
/// <param name="NodeAssembly">es-node.dll, where the node runs.</param>
/// <param name="AssemblyPath">Where an assembly given to es-runner is, where the node runs.</param>
/// <param name="DataDir">Where SQLite files go, where the node runs.</param>
internal sealed record Placement(
    string ListenHost,
    Func<string, string> AddressOf,
    bool Tls,
    CredentialFiles Credentials,
    Uri? HealthListen,
    string Dotnet,
    string NodeAssembly,
    Func<string, string> AssemblyPath,
    string DataDir);

/// <summary>
/// The system as every manifest describes it: the nodes <c>es-runner run</c> would start (the same names, the same
/// ports from <c>--base-port</c>, the same leaders) and the settings every node gets, with each node's es-node command
/// line for where it runs.
/// </summary>
internal sealed partial class SystemLayout
{
    private SystemLayout(string systemName, string resourceName, IReadOnlyList<LayoutNode> nodes, IReadOnlyDictionary<string, string> settings, Placement placement)
    {
        SystemName = systemName;
        ResourceName = resourceName;
        Nodes = nodes;
        Settings = settings;
        Placement = placement;
    }

    public string SystemName { get; }

    /// <summary>The system's name as a DNS label (<c>dogschool</c>), for names of the system's own (settings, secrets).</summary>
    public string ResourceName { get; }

    public IReadOnlyList<LayoutNode> Nodes { get; }

    /// <summary>The settings every node gets (none of them secret), sorted by key.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    public Placement Placement { get; }

    /// <summary>True when some application keeps SQLite files.</summary>
    public bool KeepsFiles => Nodes.Any(n => n.KeepsFiles);

    public LayoutNode Node(string name) => Nodes.Single(n => n.Name == name);

    /// <param name="systemName">The name the system goes by.</param>
    /// <param name="system">The system found for <paramref name="systemSpec"/>.</param>
    /// <param name="systemSpec">The system as es-runner was given it: a name, or path/to/Assembly.dll:Namespace.Type.</param>
    /// <param name="assemblies">The <c>--assembly</c> paths es-runner was given.</param>
    /// <param name="settings">
    /// The <c>--env</c> settings. With no <c>PERSISTENCE_MODULE</c>, every application keeps its events in a SQLite file,
    /// as with <c>run</c>; each SQLite application without a <c>SQLITE_DBNAME</c> gets one in the data directory.
    /// </param>
    /// <param name="filesOnVolumes">True when SQLite files must lie in the data directory, where the volume is mounted.</param>
    public static SystemLayout Create(
        string systemName,
        EventSystem system,
        string systemSpec,
        IReadOnlyList<string> assemblies,
        IReadOnlyDictionary<string, string> settings,
        int basePort,
        Placement placement,
        bool filesOnVolumes)
    {
        var names = NamesOf(system);
        var env = new Dictionary<string, string>(settings, StringComparer.Ordinal);
        if (!env.ContainsKey("PERSISTENCE_MODULE"))
        {
            env["PERSISTENCE_MODULE"] = "sqlite";
        }

        var keepsFiles = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var name in system.Nodes)
        {
            keepsFiles[name] = KeepsSqliteFile(name, env, placement.DataDir, filesOnVolumes);
        }

        var ports = system.Nodes.Select((name, i) => (name, port: basePort + i)).ToDictionary(p => p.name, p => p.port, StringComparer.Ordinal);
        var nodes = new List<LayoutNode>();
        foreach (var name in system.Nodes)
        {
            var options = new NodeOptions
            {
                System = NodeSystemSpec(systemSpec, placement.AssemblyPath),
                Assemblies = [.. assemblies.Select(placement.AssemblyPath)],
                Application = name,
                Listen = new Uri($"{Scheme(placement)}://{placement.ListenHost}:{ports[name]}"),
                HealthListen = placement.HealthListen,
                Leaders = system.LeadersOf(name).ToDictionary(
                    leader => leader,
                    leader => new Uri($"{Scheme(placement)}://{placement.AddressOf(names[leader])}:{ports[leader]}"),
                    StringComparer.Ordinal),
                TokenFile = placement.Credentials.Token,
                TlsCertificate = placement.Credentials.TlsCertificate,
                TlsKey = placement.Credentials.TlsKey,
                TlsCa = placement.Credentials.TlsCa,
            };

            // What the node will check when it starts, with the token its file will hold: a manifest whose nodes would
            // refuse to start is not written.
            NodeSecurity.Check(options with { Tokens = ["token"] });
            nodes.Add(new LayoutNode(
                name,
                names[name],
                ports[name],
                system.LeadersOf(name),
                [.. system.LeadersOf(name).Where(leader => !Follows(system, leader, name))],
                keepsFiles[name],
                NodeCommandLine.Build(options)));
        }

        return new SystemLayout(systemName, ResourceNameOf(systemName, "the system"), nodes, new SortedDictionary<string, string>(env, StringComparer.Ordinal), placement);
    }

    /// <summary>A name as a DNS label: lower case, characters other than letters and digits as <c>-</c>.</summary>
    public static string ResourceNameOf(string name, string what)
    {
        var label = NotInLabel().Replace(name.ToLowerInvariant(), "-").Trim('-');
        return label.Length is > 0 and <= 63 && char.IsAsciiLetterLower(label[0])
            ? label
            : throw new ConfigurationException($"{what} {name} has no name usable in a manifest (a DNS label: a letter, then letters, digits and -, 63 at most)");
    }

    private static Dictionary<string, string> NamesOf(EventSystem system)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in system.Nodes)
        {
            var resourceName = ResourceNameOf(name, "The application");
            if (names.FirstOrDefault(n => n.Value == resourceName) is { Key: { } clash })
            {
                throw new ConfigurationException($"The applications {clash} and {name} would both be named {resourceName} in a manifest: rename one of them");
            }

            names[name] = resourceName;
        }

        return names;
    }

    /// <summary>
    /// Whether the application keeps a SQLite file; one without <c>SQLITE_DBNAME</c> gets one in the data directory
    /// (added to <paramref name="env"/>).
    /// </summary>
    private static bool KeepsSqliteFile(string name, Dictionary<string, string> env, string dataDir, bool filesOnVolumes)
    {
        var environment = new ApplicationEnvironment(name, env, includeProcessEnvironment: false);
        if (PersistenceModule.NameOf(environment) != "sqlite")
        {
            return false;
        }

        if (environment.Get("SQLITE_DBNAME") is not { } dbName)
        {
            env[environment.Prefix + "SQLITE_DBNAME"] = $"{dataDir.TrimEnd('/')}/{name.ToLowerInvariant()}.sqlite";
            return true;
        }

        if (new SqliteOptions(dbName).Storage != SqliteStorage.File)
        {
            return false;
        }

        if (filesOnVolumes && !dbName.StartsWith(dataDir.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            throw new ConfigurationException(
                $"Application {name}: {environment.NameOf("SQLITE_DBNAME")}={dbName} is not in --data-dir {dataDir}, where the application's volume is mounted");
        }

        return true;
    }

    /// <summary>Whether <paramref name="follower"/> follows <paramref name="leader"/>, directly or through others.</summary>
    private static bool Follows(EventSystem system, string follower, string leader)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var next = new Queue<string>([follower]);
        while (next.TryDequeue(out var name))
        {
            foreach (var upstream in system.LeadersOf(name))
            {
                if (upstream == leader)
                {
                    return true;
                }

                if (seen.Add(upstream))
                {
                    next.Enqueue(upstream);
                }
            }
        }

        return false;
    }

    /// <summary>The system spec for nodes: a name as it is, an assembly's path as where the node runs.</summary>
    private static string NodeSystemSpec(string spec, Func<string, string> assemblyPath)
        => SystemCatalog.AssemblyAndType(spec) is var (path, type) ? $"{assemblyPath(path)}:{type}" : spec;

    private static string Scheme(Placement placement) => placement.Tls ? "https" : "http";

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotInLabel();
}
