using System.CommandLine;
using System.Globalization;
using EventSourcing.Grpc;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Grpc.Protocol;
using Proto = EventSourcing.Grpc.V1;
using Grpc.Core;

namespace EventSourcing.Runner.Cli;

/// <summary><c>es-runner status</c>: one row per node: name, pid, url, max notification id, per-leader position and lag, state.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var nodes = new Option<string[]>("--node") { Description = "A node's URL (repeatable)" };
        var system = new Option<string?>("--system")
        {
            Description = "The system of a running `es-runner run`, as given to it: a [SystemDefinition] name or path/to/Assembly.dll:Namespace.Type (reads its state in --data-dir)",
        };
        var assembly = new Option<string[]>(NodeCommandLine.AssemblyOption)
        {
            Description = "As given to `run`: an assembly that defines systems, where the name of --system is checked (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var dataDir = new Option<string>("--data-dir") { Description = "The data directory of that run", DefaultValueFactory = _ => ".eventsourcing" };
        var tokenFile = new Option<string?>(NodeCommandLine.TokenFileOption)
        {
            Description = $"A file holding the nodes' shared token (its first line is sent; default: ${NodeCommandLine.TokenVariable})",
        };
        var tlsCa = new Option<string?>(NodeCommandLine.TlsCaOption) { Description = "PEM CA certificate the nodes' certificates are checked against (default: the system's roots)" };
        var command = new Command("status", "Show each node's position and lag") { nodes, system, assembly, dataDir, tokenFile, tlsCa };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            string? token;
            System.Security.Cryptography.X509Certificates.X509Certificate2? trusted;
            string? systemName;
            try
            {
                // The state file is named after the system's name, which `run` found the same way.
                systemName = parsed.GetValue(system) is { } spec ? SystemCatalog.NameOf(spec, parsed.GetValue(assembly) ?? []) : null;
                token = parsed.GetValue(tokenFile) is { } file ? BearerToken.ReadFile(file)[0] : Environment.GetEnvironmentVariable(NodeCommandLine.TokenVariable);
                trusted = parsed.GetValue(tlsCa) is { } ca ? PemFiles.Certificate(ca, NodeCommandLine.TlsCaOption) : null;
            }
            catch (ConfigurationException ex)
            {
                await Console.Error.WriteLineAsync($"es-runner: {ex.Message}");
                return 1;
            }

            return await ShowAsync(parsed.GetValue(nodes) ?? [], systemName, parsed.GetValue(dataDir)!, token, trusted, cancellationToken);
        });
        return command;
    }

    private static async Task<int> ShowAsync(
        string[] nodeUrls,
        string? system,
        string dataDir,
        string? token,
        System.Security.Cryptography.X509Certificates.X509Certificate2? trusted,
        CancellationToken cancellationToken)
    {
        var urls = new List<string>(nodeUrls);
        if (system is not null)
        {
            var state = await RunnerState.ReadAsync(RunnerState.PathFor(Path.GetFullPath(dataDir), system), cancellationToken);
            if (state is null)
            {
                await Console.Error.WriteLineAsync($"es-runner: no running system {system} found in {Path.GetFullPath(dataDir)} (is `es-runner run` running there?)");
                return 1;
            }

            urls.AddRange(state.Nodes.Select(n => n.Url));
        }

        if (urls.Count == 0)
        {
            await Console.Error.WriteLineAsync("es-runner: give --node URL (repeatable) or --system NAME");
            return 1;
        }

        var rows = new List<string[]> { new[] { "NAME", "PID", "URL", "MAX_ID", "LEADERS (position/lag)", "STATE" } };
        var unreachable = false;
        foreach (var url in urls)
        {
            using var client = new NodeClient(new Uri(url), token, trusted);
            try
            {
                var status = await client.StatusAsync(cancellationToken);
                var leaders = status.Leaders.Count == 0
                    ? "-"
                    : string.Join(", ", status.Leaders.Select(l => $"{l.Name} {l.Position}/{l.Lag}{(l.State == Proto.PipeState.Running ? string.Empty : " " + Word(l.State))}"));
                var state = Word(status.State) + (status.LastError.Length > 0 ? $": {status.LastError}" : string.Empty);
                rows.Add([status.Name, status.Pid.ToString(CultureInfo.InvariantCulture), url, status.MaxNotificationId.ToString(CultureInfo.InvariantCulture), leaders, state]);
            }
            catch (RpcException ex)
            {
                unreachable = true;
                rows.Add(["?", "-", url, "-", "-", $"unreachable ({ex.StatusCode})"]);
            }
        }

        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            Console.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }

        return unreachable ? 3 : 0;
    }

    /// <summary>An enum value in lower-case words, as the table shows it: <c>NodeState.StoreUnavailable</c> is "store unavailable".</summary>
    private static string Word<TEnum>(TEnum value)
        where TEnum : struct, Enum
        => string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
