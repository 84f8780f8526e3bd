using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using EventSourcing.Grpc;
using EventSourcing.Grpc.Hosting;
using EventSourcing.Grpc.Protocol;
using Grpc.Core;

namespace EventSourcing.Runner.Cli;

/// <summary>
/// <c>es-runner status</c>: every node of a system (name, pid, url, max notification id, state), every edge between
/// them (the follower's position, the leader's max, lag, state, notifications/s over the last interval) and the lag
/// along each path; once, or refreshed until Ctrl-C; as a table or as JSON.
/// </summary>
internal static class StatusCommand
{
    /// <summary>The exit code when a node did not answer.</summary>
    public const int Unanswered = 3;

    /// <summary>A day: the longest --interval.</summary>
    private const double MaxIntervalSeconds = 86_400;

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
        var interval = new Option<double>("--interval")
        {
            Description = "Seconds between the two samples the rates are measured over, and between refreshes with --watch (0 without --watch: one sample, no rates)",
            DefaultValueFactory = _ => 1,
        };
        var watch = new Option<bool>("--watch") { Description = "Refresh every --interval until Ctrl-C (in place on a terminal)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document (nodes, edges, paths); with --watch, one JSON line per refresh" };
        var command = new Command("status", "Show every node, every edge between them with its lag and rate, and the lag along each path")
        {
            nodes, system, assembly, dataDir, tokenFile, tlsCa, interval, watch, json,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            StatusOptions options;
            try
            {
                var seconds = parsed.GetValue(interval);
                if (!(seconds is >= 0 and <= MaxIntervalSeconds))
                {
                    throw new ConfigurationException(
                        $"--interval {seconds.ToString(CultureInfo.InvariantCulture)} is not a number of seconds from 0 to {MaxIntervalSeconds}");
                }

                if (parsed.GetValue(watch) && seconds == 0)
                {
                    throw new ConfigurationException("--watch needs an --interval above 0 seconds");
                }

                options = new StatusOptions(
                    parsed.GetValue(system) is { } spec ? SystemCatalog.NameOf(spec, parsed.GetValue(assembly) ?? []) : null,
                    [.. (parsed.GetValue(nodes) ?? []).Select(url => NodeCommandLine.ParseAddress("--node", url))],
                    Path.GetFullPath(parsed.GetValue(dataDir)!),
                    parsed.GetValue(tokenFile) is { } file ? BearerToken.ReadFile(file)[0] : Environment.GetEnvironmentVariable(NodeCommandLine.TokenVariable),
                    parsed.GetValue(tlsCa) is { } ca ? PemFiles.Certificate(ca, NodeCommandLine.TlsCaOption) : null,
                    TimeSpan.FromSeconds(seconds),
                    parsed.GetValue(watch),
                    parsed.GetValue(json));
            }
            catch (EventSourcingException ex)
            {
                await Console.Error.WriteLineAsync($"es-runner: {ex.Message}");
                return 1;
            }

            return await ShowAsync(options, cancellationToken);
        });
        return command;
    }

    private static async Task<int> ShowAsync(StatusOptions options, CancellationToken cancellationToken)
    {
        var targets = new List<StatusTarget>();
        if (options.System is { } system)
        {
            // The name `run` was given as the state's key: the state file is named after the system's name.
            var state = await RunnerState.ReadAsync(RunnerState.PathFor(options.DataDir, system), cancellationToken);
            if (state is null)
            {
                await Console.Error.WriteLineAsync($"es-runner: no running system {system} found in {options.DataDir} (is `es-runner run` running there?)");
                return 1;
            }

            targets.AddRange(state.Nodes.Select(n => new StatusTarget(new Uri(n.Url), n.Name, n.Pid, n.Leaders)));
        }

        var known = targets.Select(t => NodeCommandLine.Address(t.Url)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        targets.AddRange(options.Nodes.Where(url => known.Add(NodeCommandLine.Address(url))).Select(url => new StatusTarget(url)));
        if (targets.Count == 0)
        {
            await Console.Error.WriteLineAsync("es-runner: give --node URL (repeatable) or --system NAME");
            return 1;
        }

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = options.Watch ? PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop) : null;
        using var sigterm = options.Watch ? PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop) : null;
        var clients = targets.Select(t => new NodeClient(t.Url, options.Token, options.Trusted)).ToList();
        var clock = Stopwatch.StartNew();
        var exitCode = 0;
        try
        {
            var earlier = options.Interval > TimeSpan.Zero ? await SampleAsync(targets, clients, clock, stopping.Token) : null;
            do
            {
                if (earlier is not null)
                {
                    await Task.Delay(options.Interval, stopping.Token);
                }

                var samples = await SampleAsync(targets, clients, clock, stopping.Token);
                var report = SystemStatus.Compose(options.System, DateTimeOffset.UtcNow, samples, earlier, options.Interval);
                Write(report, options);
                exitCode = report.AllAnswered ? 0 : Unanswered;
                earlier = samples;
            }
            while (options.Watch);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Ctrl-C ends --watch: the exit code is the last refresh's.
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        return exitCode;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }
    }

    /// <summary>Every target's Status at once; a node that does not answer is a sample with the reason.</summary>
    private static async Task<NodeSample[]> SampleAsync(List<StatusTarget> targets, List<NodeClient> clients, Stopwatch clock, CancellationToken cancellationToken)
    {
        var samples = await Task.WhenAll(targets.Select(async (target, i) =>
        {
            try
            {
                var answer = await clients[i].StatusAsync(cancellationToken);
                return new NodeSample(target, answer, null, clock.Elapsed);
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                return new NodeSample(target, null, $"{ex.StatusCode}: {ex.Status.Detail}", clock.Elapsed);
            }
        }));
        cancellationToken.ThrowIfCancellationRequested();
        return samples;
    }

    private static void Write(SystemStatus report, StatusOptions options)
    {
        if (options.Json)
        {
            Console.Out.WriteLine(StatusReport.Json(report, oneLine: options.Watch));
            return;
        }

        var lines = StatusReport.Table(report);
        if (options.Watch)
        {
            // On a terminal each refresh takes the place of the last (cursor home, clear the screen); elsewhere they follow one another.
            if (!Console.IsOutputRedirected)
            {
                Console.Out.Write("\e[H\e[J");
            }

            var every = options.Interval.TotalSeconds.ToString(CultureInfo.InvariantCulture);
            lines = [$"{options.System ?? "status"} at {report.Time.ToLocalTime():HH:mm:ss}, every {every}s (Ctrl-C stops)", string.Empty, .. lines, string.Empty];
        }

        Console.Out.WriteLine(string.Join(Environment.NewLine, lines));
        Console.Out.Flush();
    }

    /// <summary>What <c>status</c> was told on its command line.</summary>
    private sealed record StatusOptions(
        string? System,
        IReadOnlyList<Uri> Nodes,
        string DataDir,
        string? Token,
        X509Certificate2? Trusted,
        TimeSpan Interval,
        bool Watch,
        bool Json);
}
