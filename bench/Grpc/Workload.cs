using System.Diagnostics;
using EventSourcing.Examples.DogSchool;

namespace EventSourcing.GrpcBench;

/// <summary>One run of the workload: how long until it was processed, and each command's latency.</summary>
/// <param name="TrickStarts">When each AddTrick call started (Stopwatch timestamps), in the order they were sent: with one client, the order of the Counter events they cause.</param>
internal sealed record WorkloadRun(TimeSpan EndToEnd, int Notifications, IReadOnlyList<double> CommandLatenciesMs, IReadOnlyList<long> TrickStarts);

/// <summary>
/// N dogs registered and one trick added to each (over 10 trick names): 2N commands, and so 2N DogSchool
/// notifications, shared out among concurrent clients, each sending its next command once the last one returned.
/// Timed from the first command until <c>processed</c> says Counters has processed everything DogSchool logged.
/// </summary>
internal static class Workload
{
    private static readonly string[] TrickNames = [.. Enumerable.Range(1, 10).Select(i => $"trick {i}")];

    public static async Task<WorkloadRun> RunAsync(
        IDogSchool school,
        int dogs,
        int clients,
        string run,
        Func<CancellationToken, Task> processed,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var perClient = await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(
            async () =>
            {
                var latencies = new List<double>();
                var trickStarts = new List<long>();
                for (var i = client; i < dogs; i += clients)
                {
                    var name = $"{run} dog {i}";
                    var sent = Stopwatch.GetTimestamp();
                    await school.RegisterDogAsync(name, cancellationToken);
                    latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);

                    sent = Stopwatch.GetTimestamp();
                    trickStarts.Add(sent);
                    await school.AddTrickAsync(name, TrickNames[i % TrickNames.Length], cancellationToken);
                    latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                }

                return (Latencies: latencies, TrickStarts: trickStarts);
            },
            cancellationToken)));
        await processed(cancellationToken);
        var endToEnd = clock.Elapsed;
        return new WorkloadRun(
            endToEnd,
            2 * dogs,
            [.. perClient.SelectMany(c => c.Latencies)],
            clients == 1 ? perClient[0].TrickStarts : []);
    }
}
