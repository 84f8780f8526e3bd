using System.Diagnostics;
using EventSourcing.Examples.DogSchool;
using EventSourcing.Grpc;
using EventSourcing.Grpc.V1;

namespace EventSourcing.GrpcBench;

/// <summary>How fast DogSchool's log of <c>size</c> notifications is read: in process, by Subscribe, by Read pages (notifications/s).</summary>
internal sealed record DrainResult(double LocalSelect, double Subscribe, double Read, Launch Launch);

/// <summary>
/// A log written in process (dogs registered in transactions of 1,000), read there with paged selects, then served by
/// the system launched on it with the runner CLI (once Counters has scanned it) and read over gRPC: one Subscribe
/// stream from the start until the last notification, and Read pages one after another. Each after warm-up reads.
/// </summary>
internal static class LogDrain
{
    public const int PageSize = 1_000;

    public static async Task<DrainResult> MeasureAsync(Store store, int size, int repeat, TimeSpan warmup, Action<string> say, CancellationToken cancellationToken)
    {
        await using var scope = await store.Backend.OpenAsync(cancellationToken);
        double localSelect;
        await using (var school = new DogSchool(scope.Settings))
        {
            foreach (var chunk in Enumerable.Range(0, size).Select(i => Dog.Register($"log dog {i}")).Chunk(1_000))
            {
                await school.SaveAsync(chunk, cancellationToken);
            }

            localSelect = await RateAsync(size, repeat, warmup, () => SelectAllAsync(school, cancellationToken));
        }

        say($"{store.Name}: a log of {size:N0} notifications written; paged selects in process: {localSelect:N0}/s");
        await using var system = await LaunchedSystem.LaunchAsync(scope.Settings, cancellationToken);
        await GrpcE2e.CaughtUpAsync(system, cancellationToken);
        var subscribe = await RateAsync(size, repeat, warmup, () => SubscribeAllAsync(system.School, size, cancellationToken));
        var read = await RateAsync(size, repeat, warmup, () => ReadAllAsync(system.School, size, cancellationToken));
        say($"{store.Name}: over gRPC, Subscribe {subscribe:N0}/s, Read pages of {PageSize:N0} {read:N0}/s");
        var rss = system.Nodes.ToDictionary(n => n.Key, n => LaunchedSystem.PeakRssMb(n.Value.Pid), StringComparer.Ordinal);
        return new DrainResult(localSelect, subscribe, read, new Launch(system.LaunchToHealthy, rss, 0));
    }

    /// <summary>The median rate of <paramref name="repeat"/> reads after warm-up reads (at least one, and for at least <paramref name="warmup"/>).</summary>
    private static async Task<double> RateAsync(int size, int repeat, TimeSpan warmup, Func<Task> readAll)
    {
        await WarmUp.ForAtLeastAsync(warmup, _ => readAll());
        var rates = new List<double>();
        for (var r = 0; r < repeat; r++)
        {
            var clock = Stopwatch.StartNew();
            await readAll();
            rates.Add(size / clock.Elapsed.TotalSeconds);
        }

        return Stats.Median(rates);
    }

    private static async Task SelectAllAsync(DogSchool school, CancellationToken cancellationToken)
    {
        var position = 0L;
        while (await school.Log.SelectAsync(position + 1, PageSize, cancellationToken: cancellationToken) is { Count: > 0 } page)
        {
            position = page[^1].Id;
        }
    }

    private static async Task SubscribeAllAsync(NodeClient node, int size, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = node.Log.Subscribe(new SubscribeRequest { Start = 0 }, node.Headers, cancellationToken: stop.Token);
        var received = 0;
        while (received < size && await call.ResponseStream.MoveNext(stop.Token))
        {
            received += call.ResponseStream.Current.Notifications.Count;
        }

        await stop.CancelAsync();
        if (received < size)
        {
            throw new BenchmarkException($"the Subscribe stream ended after {received} of {size} notifications");
        }
    }

    private static async Task ReadAllAsync(NodeClient node, int size, CancellationToken cancellationToken)
    {
        var position = 0L;
        while (position < size)
        {
            var page = await node.Log.ReadAsync(new ReadRequest { Start = position + 1, Limit = PageSize }, node.Headers, cancellationToken: cancellationToken);
            if (page.Notifications.Count == 0)
            {
                throw new BenchmarkException($"Read gave no notifications after {position} of {size}");
            }

            position = (long)page.Notifications[^1].Id;
        }
    }
}
