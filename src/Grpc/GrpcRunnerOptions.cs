using EventSourcing.Grpc.Processes;

namespace EventSourcing.Grpc;

/// <summary>How a <see cref="GrpcRunner"/> starts its nodes. Every property states its default.</summary>
public sealed class GrpcRunnerOptions
{
    /// <summary>
    /// The system as nodes should load it (--system); default: the [SystemDefinition] name of the runner's system, with
    /// the assembly that defines it added to <see cref="Assemblies"/>.
    /// </summary>
    public string? SystemSpec { get; init; }

    /// <summary>Assemblies in which nodes look for the system by name (--assembly), besides those beside es-node. Default none.</summary>
    public IReadOnlyList<string> Assemblies { get; init; } = [];

    /// <summary>The address nodes listen on. Default 127.0.0.1.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Node i listens on BasePort + i; default null: free ports.</summary>
    public int? BasePort { get; init; }

    /// <summary>
    /// Every node serves Prometheus metrics (<c>es-node --metrics</c>) in plaintext on <see cref="Host"/>, at
    /// <c>/metrics</c>: node i on <see cref="MetricsBasePort"/> + i, or on a free port. Default false.
    /// </summary>
    public bool Metrics { get; init; }

    /// <summary>With <see cref="Metrics"/>, node i serves its metrics on MetricsBasePort + i; default null: free ports.</summary>
    public int? MetricsBasePort { get; init; }

    /// <summary>es-node.dll; default: the one beside es-runner.</summary>
    public string? NodeAssembly { get; init; }

    /// <summary>How long nodes have to become healthy. Default 60 seconds.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a node has to stop after SIGTERM before it is killed. Default 10 seconds.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Each line a node prints, with the node's name; default: dropped.</summary>
    public Action<string, string>? Output { get; init; }

    /// <summary>What the runner has to say (restarts); default: dropped.</summary>
    public Action<string>? Say { get; init; }

    /// <summary>When to stop restarting a node that keeps dying; default: after 5 exits within 60 seconds.</summary>
    public RestartPolicy Restarts { get; init; } = new();

    /// <summary>
    /// A file of shared tokens, one per line (<c>--token-file</c>): every node requires one of them on every call but
    /// health checks, and the runner's own clients send the first. Default none: then a token in
    /// <c>ES_NODE_TOKEN</c> (the runner's environment or its nodes') is used the same way, if any.
    /// </summary>
    public string? TokenFile { get; init; }

    /// <summary>A PEM certificate and key every node serves https with (<c>--tls-cert</c>/<c>--tls-key</c>). Default none: http.</summary>
    public string? TlsCertificate { get; init; }

    public string? TlsKey { get; init; }

    /// <summary>
    /// The PEM CA certificate that nodes' certificates are checked against, by the runner's clients and by followers
    /// (<c>--tls-ca</c>). Default: the system's roots.
    /// </summary>
    public string? TlsCa { get; init; }

    /// <summary>Lets nodes listen beyond loopback without authenticating callers (<c>--insecure</c>). Default false.</summary>
    public bool Insecure { get; init; }

    /// <summary>
    /// <see cref="GrpcRunner.Get{T}"/> gives proxies whose calls go on one <c>Application.CallStream</c> per node
    /// (a <see cref="RemoteCallStream"/> the runner keeps, shared by all the proxies of that node, ended when the
    /// runner stops) instead of an <c>Application.Call</c> each: calls from many callers at once then cost no HTTP/2
    /// request each, and the node commits more of them together. A call fails, is cancelled and meets a restarted
    /// node as the same unary call would. Unlike unary calls, the proxies of a node share one window of 64 calls in
    /// flight (more wait for an answer before they are sent, so 64 calls that wait for a call not yet sent never end),
    /// and a stream that breaks fails the calls in flight of every proxy of the node. Default false.
    /// </summary>
    public bool PipelineCalls { get; init; }

    /// <summary>Extra es-node arguments for every node (e.g. --on-policy-error Retry).</summary>
    public IReadOnlyList<string> NodeArguments { get; init; } = [];
}
