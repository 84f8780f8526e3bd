using System.Net;
using System.Reflection;
using System.Net.Sockets;
using Grpc.Core;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Grpc.Protocol;
using EventSourcing.Grpc.Processes;

namespace EventSourcing.Grpc;

/// <summary>
/// Runs each application of a system in its own es-node process, joined by gRPC: followers subscribe to their
/// leaders' notification logs and keep their tracking in their own databases. <see cref="Get{T}"/> returns
/// proxies whose calls go over <c>Application.Call</c>, or over one <c>Application.CallStream</c> per node with
/// <see cref="GrpcRunnerOptions.PipelineCalls"/>. Nodes that die are restarted.
/// </summary>
/// <remarks>
/// The runner's <c>env</c> is each node's environment on top of this process's, so persistence is configured
/// per application as usual (<c>DOGSCHOOL_PERSISTENCE_MODULE</c>, ...).
/// </remarks>
public sealed partial class GrpcRunner : IRunner
{
    private readonly IReadOnlyDictionary<string, string> _env;
    private readonly GrpcRunnerOptions _options;
    private readonly Dictionary<string, RunningNode> _nodes = new(StringComparer.Ordinal);

    // With PipelineCalls: each node's stream of calls, made by the first Get for it; none once the nodes are stopping.
    private readonly Dictionary<string, RemoteCallStream> _callStreams = new(StringComparer.Ordinal);
    private bool _callStreamsEnded;
    private int _state;

    public GrpcRunner(EventSystem system, IReadOnlyDictionary<string, string>? env = null, GrpcRunnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        System = system;
        _env = env ?? new Dictionary<string, string>();
        _options = options ?? new GrpcRunnerOptions();
    }

    public EventSystem System { get; }

    public bool IsStarted => Volatile.Read(ref _state) == 1;

    /// <summary>The nodes, in the system's order, once started.</summary>
    public IReadOnlyList<RunningNode> Nodes => [.. System.Nodes.Where(_nodes.ContainsKey).Select(n => _nodes[n])];

    /// <summary>Completes when the runner has given up on every node (each died too often; see <see cref="GrpcRunnerOptions.Restarts"/>).</summary>
    public Task AllNodesGaveUp => _nodes.Count == 0 ? Task.CompletedTask : Task.WhenAll(_nodes.Values.Select(n => n.Supervisor.GaveUp));

    public RunningNode Node(string name)
        => _nodes.TryGetValue(name, out var node) ? node : throw new ArgumentException($"No node named {name} (nodes: {string.Join(", ", _nodes.Keys)})");

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        // The rules of remote calls hold on every runner, so a system that starts here starts as processes too.
        foreach (var name in System.Nodes)
        {
            RemoteMethods.MethodsOf(System.GetApplicationType(name));
        }

        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException($"{nameof(GrpcRunner)} was already started");
        }

        var (systemSpec, assemblies) = NodeSystem();
        var nodeAssembly = DotnetHost.NodeAssembly(_options.NodeAssembly);
        var urls = AssignUrls(_options.TlsCertificate is null ? "http" : "https", _options.BasePort);
        var metricsUrls = _options.Metrics || _options.MetricsBasePort is not null ? AssignUrls("http", _options.MetricsBasePort) : null;
        var output = _options.Output ?? ((_, _) => { });
        var say = _options.Say ?? (_ => { });
        var token = ClientToken();
        var nodeOptions = System.Nodes.ToDictionary(
            name => name,
            name => new NodeOptions
            {
                System = systemSpec,
                Application = name,
                Listen = urls[name],
                Metrics = metricsUrls?[name],
                Leaders = System.LeadersOf(name).ToDictionary(leader => leader, leader => urls[leader], StringComparer.Ordinal),
                Assemblies = assemblies,
                TokenFile = _options.TokenFile is null ? null : Path.GetFullPath(_options.TokenFile),
                Tokens = token is null ? [] : [token],
                TlsCertificate = _options.TlsCertificate is null ? null : Path.GetFullPath(_options.TlsCertificate),
                TlsKey = _options.TlsKey is null ? null : Path.GetFullPath(_options.TlsKey),
                TlsCa = _options.TlsCa is null ? null : Path.GetFullPath(_options.TlsCa),
                Insecure = _options.Insecure,
            },
            StringComparer.Ordinal);

        // Every node is checked before any starts: a runner refuses what a node would. The nodes share their
        // certificate files, so those are read once.
        foreach (var options in nodeOptions.Values)
        {
            NodeSecurity.Check(options);
        }

        if (nodeOptions.Count > 0)
        {
            NodeSecurity.CheckFiles(nodeOptions.Values.First());
        }

        var trusted = _options.TlsCa is null ? null : PemFiles.Certificate(_options.TlsCa, NodeCommandLine.TlsCaOption);
        try
        {
            foreach (var name in System.Nodes)
            {
                var spec = new NodeSpec(nodeOptions[name], _env, _options.NodeArguments);
                var supervisor = new NodeSupervisor(nodeAssembly, spec, output, say, _options.Restarts);
                _nodes[name] = new RunningNode(name, urls[name], supervisor, new NodeClient(urls[name], token, trusted));
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(_options.StartTimeout);
            try
            {
                await Task.WhenAll(_nodes.Values.Select(n => ServingAsync(n, new NodeClient(n.Url, token, trusted), deadline.Token)));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var waiting = new List<string>();
                foreach (var node in _nodes.Values)
                {
                    if (!await node.Client.IsServingAsync(CancellationToken.None))
                    {
                        waiting.Add(node.Name);
                    }
                }

                throw new OperationalException($"Nodes not serving after {_options.StartTimeout.TotalSeconds:0}s: {string.Join(", ", waiting)}");
            }
            catch (OperationalException ex)
            {
                var failed = _nodes.Values.FirstOrDefault(n => n.Supervisor.Current.Exited.IsCompleted);
                throw failed is null ? ex : new OperationalException($"Node {failed.Name} failed to start: {ex.Message}{Environment.NewLine}{failed.Supervisor.Current.RecentErrors}", ex);
            }

            foreach (var node in _nodes.Values)
            {
                node.Supervisor.Watch();
            }
        }
        catch
        {
            await StopNodesAsync();
            throw;
        }
    }

    /// <summary>
    /// Until the node serves: it says so on its output (its store answered), or its health check says SERVING to the
    /// runner's own asking, whichever comes first. Fails as soon as the process exits. The asking goes through a client
    /// of its own: a channel refused while the node was starting waits out a reconnect backoff (a second or more)
    /// before it connects again, and the node's client must be ready at once.
    /// </summary>
    private static async Task ServingAsync(RunningNode node, NodeClient probe, CancellationToken cancellationToken)
    {
        var process = node.Supervisor.Current;
        using var client = probe;
        using var asking = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var asked = client.WaitUntilServingAsync(process.Exited, asking.Token);
        if (await Task.WhenAny(process.Serving, asked) == asked)
        {
            await asked;
            return;
        }

        await asking.CancelAsync();
        await asked.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 2, 1) != 1)
        {
            return;
        }

        Exception? failure = null;
        try
        {
            failure = await FirstFailureAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is RpcException or OperationalException)
        {
            // A node that cannot answer has no processing error to report.
        }

        await StopNodesAsync();
        if (failure is not null)
        {
            throw new RunnerFailedException(failure);
        }
    }

    public T Get<T>()
        where T : class
    {
        switch (Volatile.Read(ref _state))
        {
            case 0:
                throw new InvalidOperationException($"{nameof(GrpcRunner)} is not started: call StartAsync first");
            case 2:
                throw new ObjectDisposedException(nameof(GrpcRunner), $"{nameof(GrpcRunner)} is stopped: its nodes are gone");
        }

        if (!typeof(T).IsInterface)
        {
            var remote = RemoteMethods.RemoteInterfacesOf(typeof(T)).Select(i => i.Name).ToList();
            throw new ArgumentException(
                $"{typeof(T).Name} runs in its own node's process: ask for {(remote.Count > 0 ? "one of its [Remote] interfaces (" + string.Join(", ", remote) + ")" : "a [Remote] interface it implements")} instead");
        }

        RemoteMethods.CheckInterface(typeof(T));
        var matches = System.Nodes.Where(n => typeof(T).IsAssignableFrom(System.GetApplicationType(n))).ToList();
        return matches.Count switch
        {
            1 when _options.PipelineCalls => RemoteProxy.Create<T>(CallStream(matches[0])),
            1 => RemoteProxy.Create<T>(_nodes[matches[0]].Client, matches[0]),
            0 => throw new ArgumentException($"The system has no application that is a {typeof(T).Name} (it has {string.Join(", ", System.Nodes)})"),
            _ => throw new ArgumentException($"Several applications are a {typeof(T).Name}: {string.Join(", ", matches)}"),
        };
    }

    private RemoteCallStream CallStream(string node)
    {
        lock (_callStreams)
        {
            ObjectDisposedException.ThrowIf(_callStreamsEnded, this);
            if (!_callStreams.TryGetValue(node, out var calls))
            {
                calls = new RemoteCallStream(_nodes[node].Client, node);
                _callStreams.Add(node, calls);
            }

            return calls;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (RunnerFailedException)
        {
            // Reported by StopAsync or WaitForCatchUpAsync; disposing must not throw it again.
        }

        await StopNodesAsync();
    }

    private async Task StopNodesAsync()
    {
        // Followers first, so that they do not log their leaders going away.
        var leaders = _nodes.Values.Where(n => System.FollowersOf(n.Name).Count > 0).ToList();
        await Task.WhenAll(_nodes.Values.Except(leaders).Select(n => n.Supervisor.StopAsync(_options.StopGrace)));
        await Task.WhenAll(leaders.Select(n => n.Supervisor.StopAsync(_options.StopGrace)));

        // The nodes ended their streams as they stopped: what callers still awaited has failed.
        List<RemoteCallStream> streams;
        lock (_callStreams)
        {
            _callStreamsEnded = true;
            streams = [.. _callStreams.Values];
            _callStreams.Clear();
        }

        foreach (var calls in streams)
        {
            await calls.DisposeAsync();
        }

        foreach (var node in _nodes.Values)
        {
            node.Client.Dispose();
            await node.Supervisor.DisposeAsync();
        }

        _nodes.Clear();
    }

    /// <summary>
    /// The token the runner's clients send (and, for the checks, what the nodes will require): the first of the token
    /// file, else <c>ES_NODE_TOKEN</c> from the nodes' environment or this process's.
    /// </summary>
    private string? ClientToken()
        => _options.TokenFile is { } file ? BearerToken.ReadFile(file)[0]
            : _env.TryGetValue(NodeCommandLine.TokenVariable, out var token) && token.Length > 0 ? token
            : Environment.GetEnvironmentVariable(NodeCommandLine.TokenVariable) is { Length: > 0 } inherited ? inherited
            : null;

    /// <summary>Node i's address with <paramref name="scheme"/> on the runner's host: port <paramref name="basePort"/> + i, or a free one.</summary>
    private Dictionary<string, Uri> AssignUrls(string scheme, int? basePort)
    {
        var urls = new Dictionary<string, Uri>(StringComparer.Ordinal);
        var address = IPAddress.Parse(_options.Host);
        for (var i = 0; i < System.Nodes.Count; i++)
        {
            var port = basePort is { } first ? first + i : FreePort(address);
            urls[System.Nodes[i]] = new Uri($"{scheme}://{_options.Host}:{port}");
        }

        return urls;
    }

    /// <summary>A port the OS considers free now. Another process could take it before the node binds; the start then fails loudly.</summary>
    public static int FreePort(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// How nodes find the runner's system: <see cref="GrpcRunnerOptions.SystemSpec"/>, or the name of the
    /// [SystemDefinition] that holds it, with the assembly that defines it (es-node looks beside itself too).
    /// </summary>
    private (string Spec, IReadOnlyList<string> Assemblies) NodeSystem()
    {
        if (_options.SystemSpec is { } spec)
        {
            return (spec, _options.Assemblies);
        }

        var definition = SystemCatalog.DefinitionOf(System) ?? throw new ConfigurationException(
            "Nodes load their system by name: define it on a static class with [SystemDefinition(\"Name\")], or set GrpcRunnerOptions.SystemSpec");
        var name = definition.GetCustomAttribute<SystemDefinitionAttribute>()!.Name;
        return (name, [.. _options.Assemblies, definition.Assembly.Location]);
    }
}
