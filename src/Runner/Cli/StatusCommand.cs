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
        var selection = new NodeSelection.Options();
        var interval = new Option<double>("--interval")
        {
            Description = "Seconds between the two samples the rates are measured over, and between refreshes with --watch (0 without --watch: one sample, no rates)",
            DefaultValueFactory = _ => 1,
        };
        var watch = new Option<bool>("--watch") { Description = "Refresh every --interval until Ctrl-C (in place on a terminal)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document (nodes, edges, paths); with --watch, one JSON line per refresh" };
        var command = new Command("status", "Show every node, every edge between them with its lag and rate, and the lag along each path")
        {
            interval, watch, json,
        };
        foreach (var option in selection.All)
        {
            command.Options.Add(option);
        }

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
                    selection.Parse(parsed),
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
        if (await options.Selection.FindAsync(cancellationToken) is not { } targets)
        {
            return 1;
        }

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = options.Watch ? PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop) : null;
        using var sigterm = options.Watch ? PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop) : null;
        var clients = targets.Select(options.Selection.ClientOf).ToList();
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
                var report = SystemStatus.Compose(options.Selection.System, DateTimeOffset.UtcNow, samples, earlier, options.Interval);
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
            lines = [$"{options.Selection.System ?? "status"} at {report.Time.ToLocalTime():HH:mm:ss}, every {every}s (Ctrl-C stops)", string.Empty, .. lines, string.Empty];
        }

        Console.Out.WriteLine(string.Join(Environment.NewLine, lines));
        Console.Out.Flush();
    }

    /// <summary>What <c>status</c> was told on its command line.</summary>
    private sealed record StatusOptions(
        NodeSelection Selection,
        TimeSpan Interval,
        bool Watch,
        bool Json);
}
