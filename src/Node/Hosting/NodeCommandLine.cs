using System.CommandLine;

namespace EventSourcing.Node.Hosting;

/// <summary>Parses es-node's command line into <see cref="NodeOptions"/>.</summary>
public static class NodeCommandLine
{
    /// <summary>The options, or null with the exit code when the program should exit (help, or a bad command line).</summary>
    public static async Task<(NodeOptions? Options, int ExitCode)> ParseAsync(string[] args, CancellationToken cancellationToken)
    {
        var system = new Option<string>("--system")
        {
            Description = "The system: a [SystemDefinition] name (e.g. DogSchool) or path/to/Assembly.dll:Namespace.Type",
            Required = true,
        };
        var app = new Option<string>("--app") { Description = "The application of the system to host (e.g. Counters)", Required = true };
        var listen = new Option<string>("--listen")
        {
            Description = "Where to listen, http://HOST:PORT or https://HOST:PORT (port 0 picks a free one)",
            DefaultValueFactory = _ => "http://127.0.0.1:0",
        };
        var leader = new Option<string[]>("--leader")
        {
            Description = "A leader's address, NAME=URL (once per leader)",
            AllowMultipleArgumentsPerToken = false,
        };
        var token = new Option<string?>("--token")
        {
            Description = "Shared token required on every call except health checks (default: $ES_NODE_TOKEN); also sent to leaders",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ES_NODE_TOKEN"),
        };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "PEM certificate file, to serve https" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "PEM private key file for --tls-cert" };
        var insecure = new Option<bool>("--insecure") { Description = "Allow plaintext without a token on a non-loopback address" };
        var onPolicyError = new Option<PolicyErrorBehaviour>("--on-policy-error")
        {
            Description = "After a policy error: Stop the pipe (default) or Retry it with backoff",
            DefaultValueFactory = _ => PolicyErrorBehaviour.Stop,
        };
        var maxBackoff = new Option<double>("--max-backoff")
        {
            Description = "The longest wait between reconnection attempts, in seconds",
            DefaultValueFactory = _ => 10,
        };

        var parentPid = new Option<int?>("--parent-pid") { Description = "Stop when the process with this id exits (set by es-runner)" };
        var root = new RootCommand("es-node: hosts one application of an event-sourced system and serves its notification log over gRPC")
        {
            system, app, listen, leader, token, tlsCert, tlsKey, insecure, onPolicyError, maxBackoff, parentPid,
        };

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
            Application = parsed.GetValue(app)!,
            Listen = ParseListen(parsed.GetValue(listen)!),
            Leaders = ParseLeaders(parsed.GetValue(leader) ?? []),
            Token = parsed.GetValue(token) is { Length: > 0 } t ? t : null,
            TlsCertificate = parsed.GetValue(tlsCert),
            TlsKey = parsed.GetValue(tlsKey),
            Insecure = parsed.GetValue(insecure),
            OnPolicyError = parsed.GetValue(onPolicyError),
            MaxBackoff = TimeSpan.FromSeconds(Math.Max(0.1, parsed.GetValue(maxBackoff))),
            ParentPid = parsed.GetValue(parentPid),
        };
        return (options, 0);
    }

    private static Uri ParseListen(string value)
        => Uri.TryCreate(value, UriKind.Absolute, out var url) && (url.Scheme == "http" || url.Scheme == "https") && url.AbsolutePath == "/"
            ? url
            : throw new ConfigurationException($"--listen '{value}' is not http://HOST:PORT or https://HOST:PORT");

    private static Dictionary<string, Uri> ParseLeaders(string[] values)
    {
        var leaders = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var separator = value.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0 || !Uri.TryCreate(value[(separator + 1)..], UriKind.Absolute, out var url) || (url.Scheme != "http" && url.Scheme != "https"))
            {
                throw new ConfigurationException($"--leader '{value}' is not NAME=URL (e.g. DogSchool=http://127.0.0.1:5001)");
            }

            if (!leaders.TryAdd(value[..separator], url))
            {
                throw new ConfigurationException($"--leader {value[..separator]} is given twice");
            }
        }

        return leaders;
    }
}
