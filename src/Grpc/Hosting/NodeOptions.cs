namespace EventSourcing.Grpc.Hosting;

/// <summary>What a node was told on its command line. Everything else comes from the environment.</summary>
public sealed record NodeOptions
{
    /// <summary>The default of <see cref="MaxBackoff"/>: 10 seconds.</summary>
    public static readonly TimeSpan DefaultMaxBackoff = TimeSpan.FromSeconds(10);

    /// <summary>A [SystemDefinition] name, or path/to/Assembly.dll:Namespace.Type.</summary>
    public required string System { get; init; }

    /// <summary>Assemblies to look for the system in by name, besides those beside es-node (<c>--assembly</c>, repeatable).</summary>
    public IReadOnlyList<string> Assemblies { get; init; } = [];

    /// <summary>The application of the system this node hosts.</summary>
    public required string Application { get; init; }

    /// <summary>Where to listen; port 0 picks a free port. Default http://127.0.0.1:0.</summary>
    public Uri Listen { get; init; } = new("http://127.0.0.1:0");

    /// <summary>
    /// A second address, plaintext (<c>http://HOST:PORT</c>), that serves the health checks (<c>grpc.health.v1</c>) and
    /// nothing else, for probes that can neither speak TLS nor send a token (Kubernetes' <c>grpc:</c> probe). Default
    /// none.
    /// </summary>
    public Uri? HealthListen { get; init; }

    /// <summary>The address <see cref="Metrics"/> takes when <c>--metrics</c> is given without one: OpenTelemetry's Prometheus port on loopback.</summary>
    public static readonly Uri DefaultMetrics = new("http://127.0.0.1:9464");

    /// <summary>
    /// A plaintext address (<c>http://HOST:PORT</c>, HTTP/1.1) that serves the node's metrics in Prometheus' text format
    /// at <c>/metrics</c>, and nothing else, without a token (<c>--metrics</c>). Default none: no scrape endpoint.
    /// </summary>
    public Uri? Metrics { get; init; }

    /// <summary>
    /// Exports traces and metrics over OTLP (<c>--otlp</c>) to where the standard <c>OTEL_EXPORTER_OTLP_*</c> variables
    /// say (OpenTelemetry's default: http://localhost:4317, gRPC). Setting <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> turns it on
    /// as well. Default false.
    /// </summary>
    public bool Otlp { get; init; }

    /// <summary>The address of each leader, by application name.</summary>
    public IReadOnlyDictionary<string, Uri> Leaders { get; init; } = new Dictionary<string, Uri>();

    /// <summary>
    /// Leaders whose log this node accepts although it is not the one it has followed (replaced, or rolled back), for
    /// this start (<c>--accept-new-leader-log NAME</c>, repeatable). Default none: such a log stops the pipe.
    /// </summary>
    public IReadOnlyList<string> AcceptNewLeaderLogs { get; init; } = [];

    /// <summary>
    /// The shared tokens the node accepts: when there are any, every call but health checks must carry
    /// <c>authorization: Bearer TOKEN</c> with one of them. The first is the one the node sends to its leaders; more
    /// are accepted while a token is being replaced. Read from <see cref="TokenFile"/>, or <c>ES_NODE_TOKEN</c>.
    /// </summary>
    public IReadOnlyList<string> Tokens { get; init; } = [];

    /// <summary>The token the node sends to its leaders: the first of <see cref="Tokens"/>, if any.</summary>
    public string? Token => Tokens.Count > 0 ? Tokens[0] : null;

    /// <summary>
    /// The file the tokens were read from (<c>--token-file</c>), one per line: what a runner passes on, never the
    /// tokens themselves, which a command line would show to every local user.
    /// </summary>
    public string? TokenFile { get; init; }

    /// <summary>A PEM certificate (and <see cref="TlsKey"/>) to serve https; also the node's client certificate towards leaders.</summary>
    public string? TlsCertificate { get; init; }

    public string? TlsKey { get; init; }

    /// <summary>
    /// A PEM CA certificate: callers must present a client certificate issued by it (mutual TLS,
    /// <c>--tls-client-ca</c>). Needs https.
    /// </summary>
    public string? TlsClientCa { get; init; }

    /// <summary>
    /// A PEM CA certificate that leaders' certificates must be issued by (<c>--tls-ca</c>), instead of the system's
    /// roots.
    /// </summary>
    public string? TlsCa { get; init; }

    /// <summary>True when callers must prove who they are: a token, or a client certificate.</summary>
    public bool AuthenticatesCallers => Tokens.Count > 0 || TlsClientCa is not null;

    /// <summary>
    /// Allows serving a non-loopback address without authenticating callers, and sending a token to a leader in
    /// cleartext.
    /// </summary>
    public bool Insecure { get; init; }

    /// <summary>What a pipe does after a policy error: stop (default) or retry with backoff.</summary>
    public PolicyErrorBehaviour OnPolicyError { get; init; } = PolicyErrorBehaviour.Stop;

    /// <summary>When set, the node stops when this process (the runner that started it) exits, so no node outlives its runner.</summary>
    public int? ParentPid { get; init; }

    /// <summary>The longest wait between reconnection attempts. Default 10 seconds.</summary>
    public TimeSpan MaxBackoff { get; init; } = DefaultMaxBackoff;

    /// <summary>The default of <see cref="MaxSubscribers"/>: 1,000.</summary>
    public const int DefaultMaxSubscribers = 1000;

    /// <summary>
    /// The most Subscribe streams served at once; one more is refused with RESOURCE_EXHAUSTED (reason
    /// TOO_MANY_SUBSCRIBERS). Default 1,000.
    /// </summary>
    public int MaxSubscribers { get; init; } = DefaultMaxSubscribers;
}
