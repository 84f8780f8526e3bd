using System.Diagnostics;
using EventSourcing.Benchmarks;
using EventSourcing.Examples.DogSchool;
using EventSourcing.Grpc;

namespace EventSourcing.GrpcBench;

/// <summary>The <c>AddTrick</c> rate over gRPC on dogs of 10 events and on dogs of 10,000 (commands/s).</summary>
internal sealed record AggregateSizeResult(double SmallRate, double LargeRate, int SmallEvents, int LargeEvents, Launch Launch);

/// <summary>
/// Whether a command costs more on a large aggregate. Written in process before the system is launched on the store
/// (durable stores only): per client, 100 dogs of 10 events and one of 10,000. Then <c>AddTrick</c> from each client on
/// dogs of its own (no conflicts): on its small dogs in turn, and on its large dog, by turns, after warm-up runs. Every
/// dog fits in the node's aggregate cache (1,000); each run adds a few events to a small dog and hundreds to a large one.
/// </summary>
internal static class AggregateSize
{
    public const int SmallEvents = 10;
    public const int SmallDogsPerClient = 100;
    public const int LargeEvents = 10_000;

    public static async Task<AggregateSizeResult> MeasureAsync(
        Store store, int clients, int commandsPerClient, int repeat, TimeSpan warmup, Action<string> say, CancellationToken cancellationToken)
    {
        await using var scope = await store.Backend.OpenAsync(cancellationToken);
        await using (var school = new DogSchool(scope.Settings))
        {
            for (var client = 0; client < clients; client++)
            {
                await school.SaveAsync([.. Enumerable.Range(0, SmallDogsPerClient).Select(d => Grown(SmallName(client, d), SmallEvents))], cancellationToken);
                await school.SaveAsync([Grown(LargeName(client), LargeEvents)], cancellationToken);
            }
        }

        await using var system = await LaunchedSystem.LaunchAsync(scope.Settings, cancellationToken);
        await GrpcE2e.CaughtUpAsync(system, cancellationToken);
        var proxy = RemoteProxy.Create<IDogSchool>(system.School, "DogSchool");
        say($"{store.Name}: {clients * SmallDogsPerClient} dogs of {SmallEvents:N0} events and {clients} of {LargeEvents:N0} written; AddTrick over gRPC, {commandsPerClient:N0} per client");

        await WarmUp.ForAtLeastAsync(
            warmup,
            async _ =>
            {
                await RateAsync(proxy, small: true, clients, commandsPerClient, cancellationToken);
                await RateAsync(proxy, small: false, clients, commandsPerClient, cancellationToken);
            });

        var small = new List<double>();
        var large = new List<double>();
        for (var r = 1; r <= repeat; r++)
        {
            small.Add(await RateAsync(proxy, small: true, clients, commandsPerClient, cancellationToken));
            large.Add(await RateAsync(proxy, small: false, clients, commandsPerClient, cancellationToken));
            say($"{store.Name}: run {r}: AddTrick {small[^1]:N0}/s on small dogs, {large[^1]:N0}/s on large ones");
        }

        var rss = system.Nodes.ToDictionary(n => n.Key, n => LaunchedSystem.PeakRssMb(n.Value.Pid), StringComparer.Ordinal);
        return new AggregateSizeResult(Stats.Median(small), Stats.Median(large), SmallEvents, LargeEvents, new Launch(system.LaunchToHealthy, rss, 0));
    }

    private static string SmallName(int client, int dog) => $"small dog {client}.{dog}";

    private static string LargeName(int client) => $"large dog {client}";

    private static Dog Grown(string name, int events)
    {
        var dog = Dog.Register(name);
        for (var i = 1; i < events; i++)
        {
            dog.AddTrick($"trick {(i % 10) + 1}");
        }

        return dog;
    }

    private static async Task<double> RateAsync(IDogSchool school, bool small, int clients, int commandsPerClient, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(
            async () =>
            {
                for (var i = 0; i < commandsPerClient; i++)
                {
                    var name = small ? SmallName(client, i % SmallDogsPerClient) : LargeName(client);
                    await school.AddTrickAsync(name, $"trick {(i % 10) + 1}", cancellationToken);
                }
            },
            cancellationToken)));
        return clients * commandsPerClient / clock.Elapsed.TotalSeconds;
    }
}
