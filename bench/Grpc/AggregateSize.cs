using System.Diagnostics;
using EventSourcing.Benchmarks;
using EventSourcing.Examples.DogSchool;
using EventSourcing.Grpc;

namespace EventSourcing.GrpcBench;

/// <summary>The <c>AddTrick</c> rate over gRPC on dogs of 10 events and on dogs of 10,000 (commands/s).</summary>
internal sealed record AggregateSizeResult(double SmallRate, double LargeRate, int SmallEvents, int LargeEvents, Launch Launch);

/// <summary>
/// Whether a command costs more on a large aggregate. Written in process before the system is launched on the store
/// (durable stores only): per client, 100 dogs of 10 events, <see cref="LargeDogsPerClient"/> of 10,000, and one more
/// of 10,000 for the warm-up. Then <c>AddTrick</c> from each client on dogs of its own (no conflicts): on its small
/// dogs in turn, and on its large dogs in turn, by turns, after warm-up runs on the small dogs and the warm-up dog, and
/// a discarded run on the measured large dogs to have them in the cache.
/// Every dog fits in the node's aggregate cache (1,000). A measured large dog gains
/// commands-per-client / <see cref="LargeDogsPerClient"/> events a run (250 with the defaults; 1,000 over the discarded
/// run and 3 measured ones), so it is still about 10,000 events long at the end; a small one gains
/// commands-per-client / <see cref="SmallDogsPerClient"/> events a run and warm-up run (10 with the defaults, about a
/// hundred by the end: still small).
/// </summary>
internal static class AggregateSize
{
    public const int SmallEvents = 10;
    public const int SmallDogsPerClient = 100;
    public const int LargeEvents = 10_000;
    public const int LargeDogsPerClient = 4;

    /// <summary>The node's aggregate cache (AGGREGATE_CACHE_MAXSIZE's default), which must hold every dog.</summary>
    private const int CacheCapacity = 1_000;

    public static async Task<AggregateSizeResult> MeasureAsync(
        Store store, int clients, int commandsPerClient, int repeat, TimeSpan warmup, Action<string> say, CancellationToken cancellationToken)
    {
        var dogs = clients * (SmallDogsPerClient + LargeDogsPerClient + 1);
        if (dogs > CacheCapacity)
        {
            throw new BenchmarkException($"{clients} clients need {dogs:N0} dogs, more than the node's aggregate cache holds ({CacheCapacity:N0}): a command would read its dog from the store");
        }

        await using var scope = await store.Backend.OpenAsync(cancellationToken);
        await using (var school = new DogSchool(scope.Settings))
        {
            for (var client = 0; client < clients; client++)
            {
                await school.SaveAsync([.. Enumerable.Range(0, SmallDogsPerClient).Select(d => Grown(SmallName(client, d), SmallEvents))], cancellationToken);
                for (var d = 0; d <= LargeDogsPerClient; d++)
                {
                    await school.SaveAsync([Grown(LargeName(client, d), LargeEvents)], cancellationToken);
                }
            }
        }

        await using var system = await LaunchedSystem.LaunchAsync(scope.Settings, cancellationToken);
        await GrpcE2e.CaughtUpAsync(system, cancellationToken);
        var proxy = RemoteProxy.Create<IDogSchool>(system.School, "DogSchool");
        say($"{store.Name}: {clients * SmallDogsPerClient} dogs of {SmallEvents:N0} events and {clients * LargeDogsPerClient} of {LargeEvents:N0} (and {clients} for the warm-up) written; AddTrick over gRPC, {commandsPerClient:N0} per client");

        await WarmUp.ForAtLeastAsync(
            warmup,
            async _ =>
            {
                await RateAsync(proxy, SmallDog, clients, commandsPerClient, cancellationToken);
                await RateAsync(proxy, WarmUpDog, clients, commandsPerClient, cancellationToken);
            });

        // A run on the measured large dogs, discarded: it reads each from the store into the cache, and the collections
        // that moving them into the older generations takes come in it rather than in the first measured run.
        await RateAsync(proxy, LargeDog, clients, commandsPerClient, cancellationToken);

        var small = new List<double>();
        var large = new List<double>();
        for (var r = 1; r <= repeat; r++)
        {
            small.Add(await RateAsync(proxy, SmallDog, clients, commandsPerClient, cancellationToken));
            large.Add(await RateAsync(proxy, LargeDog, clients, commandsPerClient, cancellationToken));
            say($"{store.Name}: run {r}: AddTrick {small[^1]:N0}/s on small dogs, {large[^1]:N0}/s on large ones");
        }

        var rss = system.Nodes.ToDictionary(n => n.Key, n => LaunchedSystem.PeakRssMb(n.Value.Pid), StringComparer.Ordinal);
        return new AggregateSizeResult(Stats.Median(small), Stats.Median(large), SmallEvents, LargeEvents, new Launch(system.LaunchToHealthy, rss, 0));
    }

    private static string SmallName(int client, int dog) => $"small dog {client}.{dog}";

    /// <summary>Large dog <paramref name="dog"/> of <paramref name="client"/>: measured below <see cref="LargeDogsPerClient"/>, the warm-up's at it.</summary>
    private static string LargeName(int client, int dog) => $"large dog {client}.{dog}";

    /// <summary>The dog of a client's <paramref name="command"/>th command of a run.</summary>
    private static string SmallDog(int client, int command) => SmallName(client, command % SmallDogsPerClient);

    private static string LargeDog(int client, int command) => LargeName(client, command % LargeDogsPerClient);

    private static string WarmUpDog(int client, int command) => LargeName(client, LargeDogsPerClient);

    private static Dog Grown(string name, int events)
    {
        var dog = Dog.Register(name);
        for (var i = 1; i < events; i++)
        {
            dog.AddTrick($"trick {(i % 10) + 1}");
        }

        return dog;
    }

    private static async Task<double> RateAsync(IDogSchool school, Func<int, int, string> dog, int clients, int commandsPerClient, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(
            async () =>
            {
                for (var i = 0; i < commandsPerClient; i++)
                {
                    await school.AddTrickAsync(dog(client, i), $"trick {(i % 10) + 1}", cancellationToken);
                }
            },
            cancellationToken)));
        return clients * commandsPerClient / clock.Elapsed.TotalSeconds;
    }
}
