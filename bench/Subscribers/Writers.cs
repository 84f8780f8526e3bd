using System.Diagnostics;
using EventSourcing.Grpc;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.Subscribers;

/// <summary>What the writers did: the commands acknowledged (in all, and within the measured window) and those that failed.</summary>
internal sealed record WriteTally(long Acknowledged, long InWindow, long Failed, string? FirstError, IReadOnlyList<double> LatenciesMs, TimeSpan Window)
{
    public double Rate => InWindow / Window.TotalSeconds;

    public double Percentile(double p)
    {
        if (LatenciesMs.Count == 0)
        {
            return double.NaN;
        }

        var sorted = LatenciesMs.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
    }
}

/// <summary>
/// Clients that each add tricks to a dog of their own (so no two commands conflict), one command after another, as
/// fast as the node answers: through a warm-up, then the measured window, counted by when each answer came.
/// </summary>
internal static class Writers
{
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(30);

    public static string Dog(int client) => $"dog {client}";

    /// <summary>Registers each client's dog: one notification each.</summary>
    public static async Task RegisterAsync(NodeClient node, int clients, CancellationToken cancellationToken)
    {
        for (var client = 0; client < clients; client++)
        {
            await CallAsync(node, cancellationToken, "RegisterDog", Dog(client));
        }
    }

    public static async Task<WriteTally> RunAsync(NodeClient node, int clients, TimeSpan warmup, TimeSpan window, Action<long> acknowledged, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var end = warmup + window;
        var failed = 0L;
        string? firstError = null;
        var perClient = await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(
            async () =>
            {
                var latencies = new List<double>();
                var total = 0L;
                for (var command = 0; clock.Elapsed < end; command++)
                {
                    var sent = clock.Elapsed;
                    try
                    {
                        await CallAsync(node, cancellationToken, "AddTrick", Dog(client), $"trick {command}");
                    }
                    catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref failed);
                        Interlocked.CompareExchange(ref firstError, $"{ex.StatusCode}: {ex.Status.Detail}", null);
                        continue;
                    }

                    var answered = clock.Elapsed;
                    total++;
                    acknowledged(1);
                    if (answered >= warmup && answered < end)
                    {
                        latencies.Add((answered - sent).TotalMilliseconds);
                    }
                }

                return (Total: total, Latencies: latencies);
            },
            cancellationToken)));
        var latencies = perClient.SelectMany(c => c.Latencies).ToList();
        return new WriteTally(perClient.Sum(c => c.Total), latencies.Count, failed, firstError, latencies, window);
    }

    private static async Task CallAsync(NodeClient node, CancellationToken cancellationToken, string method, params string[] args)
    {
        var request = new Proto.CallRequest { Method = method, Args = new ListValue() };
        request.Args.Values.AddRange(args.Select(Value.ForString));
        await node.Application.CallAsync(request, node.Headers, DateTime.UtcNow.Add(CallDeadline), cancellationToken);
    }
}
