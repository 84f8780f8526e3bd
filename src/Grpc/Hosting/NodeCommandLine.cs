using System.CommandLine;
using System.Globalization;
using EventSourcing.Grpc.Protocol;

namespace EventSourcing.Grpc.Hosting;

/// <summary>
/// es-node's command line, in one place: <see cref="Build"/> writes the arguments for <see cref="NodeOptions"/>
/// (what a runner starts a node with), <see cref="ParseAsync"/> reads them back (what es-node does).
/// </summary>
public static class NodeCommandLine
{
    public const string SystemOption = "--system";
    public const string AssemblyOption = "--assembly";
    public const string AppOption = "--app";
    public const string ListenOption = "--listen";
    public const string HealthListenOption = "--health-listen";
    public const string MetricsOption = "--metrics";
    public const string OtlpOption = "--otlp";
    public const string LeaderOption = "--leader";
    public const string AcceptNewLeaderLogOption = "--accept-new-leader-log";
    public const string TokenFileOption = "--token-file";
    public const string TlsCertOption = "--tls-cert";
    public const string TlsKeyOption = "--tls-key";
    public const string TlsClientCaOption = "--tls-client-ca";
    public const string TlsCaOption = "--tls-ca";
    public const string InsecureOption = "--insecure";
    public const string OnPolicyErrorOption = "--on-policy-error";
    public const string MaxBackoffOption = "--max-backoff";
    public const string MaxSubscribersOption = "--max-subscribers";
    public const string ParentPidOption = "--parent-pid";

    /// <summary>The environment variable a node reads its shared token from when no <c>--token-file</c> is given.</summary>
    public const string TokenVariable = "ES_NODE_TOKEN";

    /// <summary>
    /// The arguments that start a node with <paramref name="options"/>. The tokens are left out (a secret on a command
    /// line is readable by every local user): the token file's path goes on it, or the token goes through
    /// <see cref="TokenVariable"/> in the node's environment.
    /// </summary>
    public static IReadOnlyList<string> Build(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var arguments = new List<string> { SystemOption, options.System };
        foreach (var assembly in options.Assemblies)
        {
            arguments.AddRange([AssemblyOption, assembly]);
        }

        arguments.AddRange([AppOption, options.Application, ListenOption, Address(options.Listen)]);
        if (options.HealthListen is { } healthListen)
        {
            arguments.AddRange([HealthListenOption, Address(healthListen)]);
        }

        if (options.Metrics is { } metrics)
        {
            arguments.AddRange([MetricsOption, Address(metrics)]);
        }

        if (options.Otlp)
        {
            arguments.Add(OtlpOption);
        }

        foreach (var (leader, url) in options.Leaders.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            arguments.AddRange([LeaderOption, $"{leader}={Address(url)}"]);
        }

        foreach (var leader in options.AcceptNewLeaderLogs)
        {
            arguments.AddRange([AcceptNewLeaderLogOption, leader]);
        }

        AddIfGiven(arguments, TokenFileOption, options.TokenFile);
        AddIfGiven(arguments, TlsCertOption, options.TlsCertificate);
        AddIfGiven(arguments, TlsKeyOption, options.TlsKey);
        AddIfGiven(arguments, TlsClientCaOption, options.TlsClientCa);
        AddIfGiven(arguments, TlsCaOption, options.TlsCa);

        if (options.Insecure)
        {
            arguments.Add(InsecureOption);
        }

        if (options.OnPolicyError != PolicyErrorBehaviour.Stop)
        {
            arguments.AddRange([OnPolicyErrorOption, options.OnPolicyError.ToString()]);
        }

        if (options.MaxBackoff != NodeOptions.DefaultMaxBackoff)
        {
            arguments.AddRange([MaxBackoffOption, options.MaxBackoff.TotalSeconds.ToString(CultureInfo.InvariantCulture)]);
        }

        if (options.MaxSubscribers != NodeOptions.DefaultMaxSubscribers)
        {
            arguments.AddRange([MaxSubscribersOption, options.MaxSubscribers.ToString(CultureInfo.InvariantCulture)]);
        }

        if (options.ParentPid is { } parentPid)
        {
            arguments.AddRange([ParentPidOption, parentPid.ToString(CultureInfo.InvariantCulture)]);
        }

        return arguments;
    }

    /// <summary>
    /// The options, or null with the exit code when the program should exit (help, a bad command line, or the
    /// <c>health</c> subcommand, which has done its work).
    /// </summary>
    public static async Task<(NodeOptions? Options, int ExitCode)> ParseAsync(string[] args, CancellationToken cancellationToken)
    {
        var system = new Option<string>(SystemOption)
        {
            Description = "The system: a [SystemDefinition] name (e.g. DogSchool) or path/to/Assembly.dll:Namespace.Type",
            Required = true,
        };
        var assembly = new Option<string[]>(AssemblyOption)
        {
            Description = "An assembly that defines systems, to find --system in by name (repeatable; those beside es-node are searched too)",
            AllowMultipleArgumentsPerToken = false,
        };
        var app = new Option<string>(AppOption) { Description = "The application of the system to host (e.g. Counters)", Required = true };
        var listen = new Option<string>(ListenOption)
        {
            Description = "Where to listen, http://HOST:PORT or https://HOST:PORT (port 0 picks a free one)",
            DefaultValueFactory = _ => "http://127.0.0.1:0",
        };
        var healthListen = new Option<string?>(HealthListenOption)
        {
            Description = "A second address, http://HOST:PORT, that serves only the health checks, in plaintext and without a token (for probes such as Kubernetes' grpc: probe)",
        };
        var metrics = new Option<string?>(MetricsOption)
        {
            Description = $"Serve Prometheus metrics at /metrics on this address, http://HOST:PORT, in plaintext and without a token (default with no address: {Address(NodeOptions.DefaultMetrics)})",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var otlp = new Option<bool>(OtlpOption)
        {
            Description = "Export traces and metrics over OTLP, where the OTEL_EXPORTER_OTLP_* variables say (on by itself when OTEL_EXPORTER_OTLP_ENDPOINT is set)",
        };
        var leader = new Option<string[]>(LeaderOption)
        {
            Description = "A leader's address, NAME=URL (once per leader)",
            AllowMultipleArgumentsPerToken = false,
        };
        var acceptNewLeaderLog = new Option<string[]>(AcceptNewLeaderLogOption)
        {
            Description = "Follow this leader's log although it is not the one followed so far (replaced or rolled back), from where it starts (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var tokenFile = new Option<string?>(TokenFileOption)
        {
            Description = $"A file of shared tokens, one per line: every call except health checks must carry one (default: the token in ${TokenVariable}); the first is sent to leaders",
        };
        var removedToken = new Option<string?>("--token") { Hidden = true };
        removedToken.Validators.Add(result => result.AddError(
            $"--token is not accepted: a secret on a command line is readable by every local user (/proc/PID/cmdline); put the token in a file for {TokenFileOption}, or in ${TokenVariable}"));
        var tlsCert = new Option<string?>(TlsCertOption) { Description = "PEM certificate file, to serve https (also presented to leaders that ask for a client certificate)" };
        var tlsKey = new Option<string?>(TlsKeyOption) { Description = "PEM private key file for --tls-cert" };
        var tlsClientCa = new Option<string?>(TlsClientCaOption) { Description = "PEM CA certificate: callers must present a client certificate it issued (mutual TLS)" };
        var tlsCa = new Option<string?>(TlsCaOption) { Description = "PEM CA certificate that leaders' certificates must be issued by (default: the system's roots)" };
        var insecure = new Option<bool>(InsecureOption) { Description = "Allow plaintext without a token on a non-loopback address" };
        var onPolicyError = new Option<PolicyErrorBehaviour>(OnPolicyErrorOption)
        {
            Description = "After a policy error: Stop the pipe (default) or Retry it with backoff",
            DefaultValueFactory = _ => PolicyErrorBehaviour.Stop,
        };
        var maxBackoff = new Option<double>(MaxBackoffOption)
        {
            Description = "The longest wait between reconnection attempts, in seconds",
            DefaultValueFactory = _ => NodeOptions.DefaultMaxBackoff.TotalSeconds,
        };
        var maxSubscribers = new Option<int>(MaxSubscribersOption)
        {
            Description = "The most Subscribe streams served at once; more are refused with RESOURCE_EXHAUSTED",
            DefaultValueFactory = _ => NodeOptions.DefaultMaxSubscribers,
        };
        maxSubscribers.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"{MaxSubscribersOption} must be 1 or more, got {result.GetValueOrDefault<int>()}");
            }
        });
        var parentPid = new Option<int?>(ParentPidOption) { Description = "Stop when the process with this id exits (set by es-runner)" };
        var root = new RootCommand("es-node: hosts one application of an event-sourced system and serves its notification log over gRPC")
        {
            system, assembly, app, listen, healthListen, metrics, otlp, leader, acceptNewLeaderLog, tokenFile, removedToken, tlsCert, tlsKey, tlsClientCa, tlsCa, insecure, onPolicyError, maxBackoff, maxSubscribers, parentPid,
        };
        root.Subcommands.Add(HealthCommand.Create());

        ParseResult? parsed = null;
        root.SetAction(parseResult => parsed = parseResult);
        var exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, cancellationToken);
        if (parsed is null)
        {
            return (null, exitCode);
        }

        var options = new NodeOptions
        {
            System = parsed.GetValue(system)!,
            Assemblies = parsed.GetValue(assembly) ?? [],
            Application = parsed.GetValue(app)!,
            Listen = ParseAddress(ListenOption, parsed.GetValue(listen)!),
            HealthListen = parsed.GetValue(healthListen) is { } health ? ParseHealthListen(health) : null,
            Metrics = parsed.GetResult(metrics) is null ? null : ParseMetrics(parsed.GetValue(metrics)),
            Otlp = parsed.GetValue(otlp),
            Leaders = ParseLeaders(parsed.GetValue(leader) ?? []),
            AcceptNewLeaderLogs = parsed.GetValue(acceptNewLeaderLog) ?? [],
            TokenFile = parsed.GetValue(tokenFile),
            Tokens = parsed.GetValue(tokenFile) is { } file ? BearerToken.ReadFile(file)
                : Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token ? [token.Trim()]
                : [],
            TlsCertificate = parsed.GetValue(tlsCert),
            TlsKey = parsed.GetValue(tlsKey),
            TlsClientCa = parsed.GetValue(tlsClientCa),
            TlsCa = parsed.GetValue(tlsCa),
            Insecure = parsed.GetValue(insecure),
            OnPolicyError = parsed.GetValue(onPolicyError),
            MaxBackoff = TimeSpan.FromSeconds(Math.Max(0.1, parsed.GetValue(maxBackoff))),
            MaxSubscribers = parsed.GetValue(maxSubscribers),
            ParentPid = parsed.GetValue(parentPid),
        };
        return (options, 0);
    }

    private static void AddIfGiven(List<string> arguments, string option, string? value)
    {
        if (value is not null)
        {
            arguments.AddRange([option, value]);
        }
    }

    /// <summary>A URL as it is written on the command line and printed: scheme, host and port (always), no trailing slash.</summary>
    public static string Address(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return string.Create(CultureInfo.InvariantCulture, $"{url.Scheme}://{url.Host}:{url.Port}");
    }

    /// <summary>A node's address given with <paramref name="option"/>: http://HOST:PORT or https://HOST:PORT, else an error naming the option and the value.</summary>
    public static Uri ParseAddress(string option, string value)
        => Uri.TryCreate(value, UriKind.Absolute, out var url) && (url.Scheme == "http" || url.Scheme == "https") && url.AbsolutePath == "/"
            ? url
            : throw new ConfigurationException($"{option} '{value}' is not http://HOST:PORT or https://HOST:PORT");

    private static Uri ParseHealthListen(string value)
        => Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme == "http" && url.AbsolutePath == "/"
                && value.Contains($":{url.Port}", StringComparison.Ordinal) && url.Port > 0
            ? url
            : throw new ConfigurationException($"{HealthListenOption} '{value}' is not http://HOST:PORT with a port of its own (the health checks are served in plaintext)");

    private static Uri ParseMetrics(string? value)
        => value is null ? NodeOptions.DefaultMetrics
            : Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme == "http" && url.AbsolutePath == "/"
                && value.Contains($":{url.Port}", StringComparison.Ordinal) && url.Port > 0
            ? url
            : throw new ConfigurationException($"{MetricsOption} '{value}' is not http://HOST:PORT with a port of its own (the metrics are served in plaintext, at /metrics)");

    private static Dictionary<string, Uri> ParseLeaders(string[] values)
    {
        var leaders = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var separator = value.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0 || !Uri.TryCreate(value[(separator + 1)..], UriKind.Absolute, out var url) || (url.Scheme != "http" && url.Scheme != "https"))
            {
                throw new ConfigurationException($"{LeaderOption} '{value}' is not NAME=URL (e.g. DogSchool=http://127.0.0.1:5001)");
            }

            if (!leaders.TryAdd(value[..separator], url))
            {
                throw new ConfigurationException($"{LeaderOption} {value[..separator]} is given twice");
            }
        }

        return leaders;
    }
}
