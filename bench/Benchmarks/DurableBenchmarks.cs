namespace EventSourcing.Benchmarks;

/// <summary>
/// The measurements on a disk-backed store, with sizes that finish in seconds: every save waits for a
/// commit, so the figures are far below the in-memory ones, and the gap between saving one event per
/// transaction and processing a backlog in batches (one transaction per batch) is the point to look at.
/// </summary>
public static class DurableBenchmarks
{
    private const int ManyEvents = 1_000;

    public static async Task<List<Result>> RunAsync(
        Backend backend,
        bool quick,
        int? events,
        int? dogs,
        int? gets,
        int? repeat,
        CancellationToken cancellationToken)
    {
        var eventCount = events ?? (quick ? 1_000 : 5_000);
        var dogCount = dogs ?? (quick ? 100 : 1_000);
        var getCount = gets ?? (quick ? 200 : 2_000);
        var repeatCount = repeat ?? 1;
        List<Result> results = [];
        results.AddRange(await ThroughputBenchmark.RunAsync(backend, eventCount, dogCount, repeatCount, withCommands: false, cancellationToken));
        results.AddRange(await GetLatencyBenchmark.RunAsync(
            "(b) get, cache on", backend, new Dictionary<string, string> { ["AGGREGATE_CACHE_MAXSIZE"] = "1000" }, 10, ManyEvents, getCount, cancellationToken));
        results.AddRange(await GetLatencyBenchmark.RunAsync(
            "    get, no cache, no snapshots",
            backend,
            new Dictionary<string, string> { ["AGGREGATE_CACHE_MAXSIZE"] = "0" },
            10,
            ManyEvents,
            Math.Max(1, getCount / 10),
            cancellationToken));
        return results;
    }
}
