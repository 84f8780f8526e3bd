using System.CommandLine;
using EventSourcing.Grpc;
using EventSourcing.Grpc.Hosting;
using Grpc.Core;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Runner.Cli;

/// <summary>
/// <c>es-runner verify</c>: for every edge of the nodes found as <c>status</c> finds them, checks that the follower
/// tracked every notification of interest up to its position once (no holes, no duplicates), and that each of its
/// events traces, by the causation in its metadata, to a tracked notification. One line per edge; exit code
/// <see cref="Failed"/> when any edge fails, <see cref="StatusCommand.Unanswered"/> when a node could not be asked.
/// </summary>
internal static class VerifyCommand
{
    /// <summary>The exit code when an edge has a hole, a duplicate or an untraced event.</summary>
    public const int Failed = 2;

    public static Command Create()
    {
        var selection = new NodeSelection.Options();
        var command = new Command(
            "verify",
            "Check every edge: the follower tracked each notification of interest up to its position exactly once, and each of its events traces to a tracked notification");
        foreach (var option in selection.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parsed, cancellationToken) =>
        {
            NodeSelection nodes;
            try
            {
                nodes = selection.Parse(parsed);
            }
            catch (EventSourcingException ex)
            {
                await Console.Error.WriteLineAsync($"es-runner: {ex.Message}");
                return 1;
            }

            return await VerifyAsync(nodes, cancellationToken);
        });
        return command;
    }

    private static async Task<int> VerifyAsync(NodeSelection selection, CancellationToken cancellationToken)
    {
        if (await selection.FindAsync(cancellationToken) is not { } targets)
        {
            return 1;
        }

        var clients = new Dictionary<string, NodeClient>(StringComparer.OrdinalIgnoreCase);
        try
        {
            var exitCode = 0;
            foreach (var target in targets)
            {
                var client = ClientFor(target.Url);
                Proto.StatusResponse status;
                try
                {
                    status = await client.StatusAsync(cancellationToken);
                }
                catch (RpcException ex)
                {
                    Console.Out.WriteLine($"UNREACHABLE {target.Name ?? NodeCommandLine.Address(target.Url)}: {ex.StatusCode}: {ex.Status.Detail}");
                    exitCode = Math.Max(exitCode, StatusCommand.Unanswered);
                    continue;
                }

                foreach (var leader in status.Leaders)
                {
                    var verdict = await CheckAsync(client, status, leader, ClientFor(LeaderUrl(targets, leader)), cancellationToken);
                    Console.Out.WriteLine(verdict.Line());
                    exitCode = verdict.Holds ? exitCode : verdict.Failure is null ? Failed : Math.Max(exitCode, StatusCommand.Unanswered);
                }
            }

            return exitCode;
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }

        NodeClient ClientFor(Uri url)
        {
            var address = NodeCommandLine.Address(url);
            if (!clients.TryGetValue(address, out var client))
            {
                client = selection.ClientOf(new StatusTarget(url));
                clients[address] = client;
            }

            return client;
        }
    }

    private static async Task<EdgeVerdict> CheckAsync(
        NodeClient followerClient,
        Proto.StatusResponse follower,
        Proto.LeaderStatus leader,
        NodeClient leaderClient,
        CancellationToken cancellationToken)
    {
        try
        {
            return await EdgeAudit.CheckAsync(followerClient, follower, leader, leaderClient, cancellationToken);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return EdgeVerdict.Unchecked(leader.Name, follower.Name, $"{ex.StatusCode}: {ex.Status.Detail}");
        }
    }

    /// <summary>The leader's address: the found node of that name, or else the one the follower follows.</summary>
    private static Uri LeaderUrl(List<StatusTarget> targets, Proto.LeaderStatus leader)
        => targets.FirstOrDefault(t => t.Name == leader.Name)?.Url ?? new Uri(leader.Url);
}
