namespace EventSourcing.Benchmarks;

/// <summary>The measurements in memory: large sizes, and snapshots against the cache.</summary>
public static class InMemoryBenchmarks
{
    public static async Task<List<Result>> RunAsync(
        Backend backend,
        bool quick,
        int? events,
        int? dogs,
        int? gets,
        int? repeat,
        CancellationToken cancellationToken)
    {
        var eventCount = events ?? (quick ? 10_000 : 100_000);
        var dogCount = dogs ?? (quick ? 1_000 : 10_000);
        var getCount = gets ?? (quick ? 2_000 : 20_000);
        var repeatCount = repeat ?? (quick ? 1 : 3);
        List<Result> results = [];
        results.AddRange(await ThroughputBenchmark.RunAsync(backend, eventCount, dogCount, repeatCount, withCommands: true, cancellationToken));
        results.AddRange(await GetLatencyBenchmark.RunAsync(
            "(b) get, cache on", backend, new Dictionary<string, string> { ["AGGREGATE_CACHE_MAXSIZE"] = "1000" }, 10, 10_000, getCount, cancellationToken));
        results.AddRange(await GetLatencyBenchmark.RunAsync(
            "(c) get, no cache, snapshots every 100",
            backend,
            new Dictionary<string, string>
            {
                ["AGGREGATE_CACHE_MAXSIZE"] = "0",
                ["IS_SNAPSHOTTING_ENABLED"] = "true",
                ["SNAPSHOTTING_INTERVAL"] = "100",
            },
            10,
            10_000,
            getCount,
            cancellationToken));
        results.AddRange(await GetLatencyBenchmark.RunAsync(
            "    for reference: no cache, no snapshots",
            backend,
            new Dictionary<string, string> { ["AGGREGATE_CACHE_MAXSIZE"] = "0" },
            10,
            10_000,
            Math.Max(1, getCount / 100),
            cancellationToken));
        return results;
    }
}
