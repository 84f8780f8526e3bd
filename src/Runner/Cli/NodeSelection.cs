using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using EventSourcing.Grpc;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Grpc.Protocol;

namespace EventSourcing.Runner.Cli;

/// <summary>
/// Which nodes a command asks, found the same way by <c>status</c> and <c>verify</c>: the nodes of a running
/// <c>es-runner run</c> (<c>--system</c>, read from the state file in <c>--data-dir</c>) and any <c>--node URL</c>, with
/// the token and CA certificate to reach them.
/// </summary>
internal sealed record NodeSelection(string? System, IReadOnlyList<Uri> Nodes, string DataDir, string? Token, X509Certificate2? Trusted)
{
    /// <summary>The command-line options of a selection, added to <c>status</c> and <c>verify</c> alike.</summary>
    internal sealed class Options
    {
        public Option<string[]> Nodes { get; } = new("--node") { Description = "A node's URL (repeatable)" };

        public Option<string?> System { get; } = new("--system")
        {
            Description = "The system of a running `es-runner run`, as given to it: a [SystemDefinition] name or path/to/Assembly.dll:Namespace.Type (reads its state in --data-dir)",
        };

        public Option<string[]> Assembly { get; } = new(NodeCommandLine.AssemblyOption)
        {
            Description = "As given to `run`: an assembly that defines systems, where the name of --system is checked (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };

        public Option<string> DataDir { get; } = new("--data-dir") { Description = "The data directory of that run", DefaultValueFactory = _ => ".eventsourcing" };

        public Option<string?> TokenFile { get; } = new(NodeCommandLine.TokenFileOption)
        {
            Description = $"A file holding the nodes' shared token (its first line is sent; default: ${NodeCommandLine.TokenVariable})",
        };

        public Option<string?> TlsCa { get; } = new(NodeCommandLine.TlsCaOption) { Description = "PEM CA certificate the nodes' certificates are checked against (default: the system's roots)" };

        public IEnumerable<Option> All => [Nodes, System, Assembly, DataDir, TokenFile, TlsCa];

        /// <summary>The selection given; a bad value raises a <see cref="ConfigurationException"/> naming the option.</summary>
        public NodeSelection Parse(ParseResult parsed) => new(
            parsed.GetValue(System) is { } spec ? SystemCatalog.NameOf(spec, parsed.GetValue(Assembly) ?? []) : null,
            [.. (parsed.GetValue(Nodes) ?? []).Select(url => NodeCommandLine.ParseAddress("--node", url))],
            Path.GetFullPath(parsed.GetValue(DataDir)!),
            parsed.GetValue(TokenFile) is { } file ? BearerToken.ReadFile(file)[0] : Environment.GetEnvironmentVariable(NodeCommandLine.TokenVariable),
            parsed.GetValue(TlsCa) is { } ca ? PemFiles.Certificate(ca, NodeCommandLine.TlsCaOption) : null);
    }

    /// <summary>The nodes to ask, once each; null after saying on stderr why there are none.</summary>
    public async Task<List<StatusTarget>?> FindAsync(CancellationToken cancellationToken)
    {
        var targets = new List<StatusTarget>();
        if (System is { } system)
        {
            // The name `run` was given as the state's key: the state file is named after the system's name.
            var state = await RunnerState.ReadAsync(RunnerState.PathFor(DataDir, system), cancellationToken);
            if (state is null)
            {
                await Console.Error.WriteLineAsync($"es-runner: no running system {system} found in {DataDir} (is `es-runner run` running there?)");
                return null;
            }

            targets.AddRange(state.Nodes.Select(n => new StatusTarget(new Uri(n.Url), n.Name, n.Pid, n.Leaders)));
        }

        var known = targets.Select(t => NodeCommandLine.Address(t.Url)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        targets.AddRange(Nodes.Where(url => known.Add(NodeCommandLine.Address(url))).Select(url => new StatusTarget(url)));
        if (targets.Count == 0)
        {
            await Console.Error.WriteLineAsync("es-runner: give --node URL (repeatable) or --system NAME");
            return null;
        }

        return targets;
    }

    /// <summary>A client of <paramref name="target"/>, with the selection's token and CA certificate.</summary>
    public NodeClient ClientOf(StatusTarget target) => new(target.Url, Token, Trusted);
}
