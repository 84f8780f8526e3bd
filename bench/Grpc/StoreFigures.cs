namespace EventSourcing.GrpcBench;

/// <summary>
/// Every measurement on one store, as figures with their ratios: rates to the raw commit rate (to the in-process runner
/// on the in-memory store), Subscribe and Read to paged selects in process, command latency to the in-process runner's,
/// and the rest to targets (processed p50 2 ms and p99 10 ms, 100 MB per node, healthy within 1 s).
/// A node's RSS is its peak after the launch that served the most commands (<c>n</c>: those commands). Also: the rate
/// of the first warm-up run (the system cold) against the measured rate, and the CPU time per command of each node and
/// the callers during the measured runs, against the in-process runner's whole process; and on durable stores the
/// command rate on aggregates of 10,000 events against the rate on aggregates of 10 (<see cref="AggregateSize"/>); and on
/// PostgreSQL the commits of several applications saving at once against the raw commit rate (<see cref="ApplicationCommits"/>).
/// </summary>
internal static class StoreFigures
{
    private const double RssTargetMb = 100;
    private const double HealthyTargetMs = 1_000;
    private const double ProcessedP50TargetMs = 2;
    private const double ProcessedP99TargetMs = 10;

    public static async Task<IReadOnlyList<Figure>> MeasureAsync(Store store, GrpcBenchOptions options, Action<string> say, CancellationToken cancellationToken)
    {
        var name = store.Name;
        var figures = new List<Figure>();
        double? raw = null;
        if (options.Parts.Contains("raw") && store.RawCommits is { } rawCommits)
        {
            raw = await MedianAfterWarmUpAsync(options.Repeat, () => rawCommits.MeasureAsync(options.RawCommitTime, cancellationToken));
            say($"{name}: raw single-row commits: {raw:N0}/s");
            figures.Add(Figure.Of("raw_commit", name, raw.Value, "commits/s", null, string.Empty));
            if (name == "postgres")
            {
                var applications = await MedianAfterWarmUpAsync(options.Repeat, () => ApplicationCommits.MeasureAsync(store, options.RawCommitTime, cancellationToken));
                say($"{name}: {ApplicationCommits.Applications} applications saving one event at a time: {applications:N0} commits/s");
                figures.Add(Figure.Of("application_commits", name, applications, "commits/s", raw.Value, "raw_commit", ApplicationCommits.Applications));
            }
        }

        var launches = new List<Launch>();
        if (store.IsDurable && options.Parts.Contains("log"))
        {
            var drain = await LogDrain.MeasureAsync(store, options.LogSize, options.Repeat, options.Warmup, say, cancellationToken);
            launches.Add(drain.Launch);
            figures.Add(Figure.Of("subscribe_rate", name, drain.Subscribe, "notifications/s", drain.LocalSelect, "local_select", n: options.LogSize));
            figures.Add(Figure.Of("read_rate", name, drain.Read, "notifications/s", drain.LocalSelect, "local_select", n: options.LogSize));
        }

        if (store.IsDurable && options.Parts.Contains("aggregates"))
        {
            var clients = options.Clients.Max();
            var sizes = await AggregateSize.MeasureAsync(store, clients, options.Quick ? 100 : 1_000, options.Repeat, options.Warmup, say, cancellationToken);
            launches.Add(sizes.Launch);
            figures.Add(Figure.Of("command_rate_small_aggregate", name, sizes.SmallRate, "commands/s", null, string.Empty, clients, n: sizes.SmallEvents));
            figures.Add(Figure.Of("command_rate_large_aggregate", name, sizes.LargeRate, "commands/s", sizes.SmallRate, "small_aggregate", clients, n: sizes.LargeEvents));
        }

        // The unary runs by size and number of clients, for the pipelined runs to compare with.
        var unary = new Dictionary<(int N, int Clients), E2eResult>();
        var inProcessRuns = new Dictionary<(int N, int Clients), E2eResult>();
        foreach (var n in options.Parts.Contains("e2e") ? options.Sizes : [])
        {
            foreach (var clients in options.Clients)
            {
                var (grpc, launch) = await GrpcE2e.MeasureAsync(store, n, clients, options.Repeat, options.Warmup, say, cancellationToken);
                launches.Add(launch);
                unary[(n, clients)] = grpc;
                var inProcess = await InProcessE2e.MeasureAsync(store, n, clients, options.Repeat, options.Warmup, say, cancellationToken);
                inProcessRuns[(n, clients)] = inProcess;
                figures.Add(Figure.Of("grpc_e2e", name, grpc.Rate, "notifications/s", raw ?? inProcess.Rate, raw is null ? "in_process" : "raw_commit", clients, n));
                figures.Add(Figure.Of("grpc_e2e_vs_in_process", name, grpc.Rate, "notifications/s", inProcess.Rate, "in_process", clients, n));
                figures.Add(Figure.Of("grpc_e2e_first_run", name, grpc.FirstRunRate, "notifications/s", grpc.Rate, "grpc_e2e", clients, n));
                foreach (var (process, ms) in grpc.CpuMsPerCommand)
                {
                    figures.Add(Figure.Of("cpu_ms_per_command", name, ms, "ms", inProcess.CpuMsPerCommand["total"], "in_process", clients, n, node: process));
                }

                figures.Add(Figure.Of("command_latency_p50_ms", name, grpc.CommandLatency(50), "ms", inProcess.CommandLatency(50), "in_process", clients, n));
                figures.Add(Figure.Of("command_latency_p99_ms", name, grpc.CommandLatency(99), "ms", inProcess.CommandLatency(99), "in_process", clients, n));
                if (grpc.ProcessedLatenciesMs.Count > 0)
                {
                    figures.Add(Figure.Of("processed_latency_p50_ms", name, grpc.ProcessedLatency(50), "ms", ProcessedP50TargetMs, "target", clients, n));
                    figures.Add(Figure.Of("processed_latency_p99_ms", name, grpc.ProcessedLatency(99), "ms", ProcessedP99TargetMs, "target", clients, n));
                }
            }
        }

        foreach (var n in options.Parts.Contains("pipelined") ? options.Sizes : [])
        {
            foreach (var inFlight in options.InFlight)
            {
                var (pipelined, launch) = await GrpcE2e.MeasureAsync(store, n, inFlight, options.Repeat, options.Warmup, say, cancellationToken, pipelined: true);
                launches.Add(launch);
                var sameCallers = unary.GetValueOrDefault((n, inFlight));
                // The in-process runner with as many callers, unless the unary runs measured it already.
                if (!inProcessRuns.TryGetValue((n, inFlight), out var inProcess))
                {
                    inProcess = await InProcessE2e.MeasureAsync(store, n, inFlight, options.Repeat, options.Warmup, say, cancellationToken);
                }

                figures.Add(Figure.Of("grpc_e2e_pipelined", name, pipelined.Rate, "notifications/s", raw ?? inProcess.Rate, raw is null ? "in_process" : "raw_commit", 1, n, inFlight: inFlight));
                figures.Add(Figure.Of("grpc_e2e_pipelined_vs_in_process", name, pipelined.Rate, "notifications/s", inProcess.Rate, "in_process", 1, n, inFlight: inFlight));
                figures.Add(Figure.Of("grpc_e2e_pipelined_vs_clients", name, pipelined.Rate, "notifications/s", sameCallers?.Rate, "grpc_e2e", 1, n, inFlight: inFlight));
                foreach (var (process, ms) in pipelined.CpuMsPerCommand)
                {
                    figures.Add(Figure.Of("cpu_ms_per_command_pipelined", name, ms, "ms", sameCallers?.CpuMsPerCommand.GetValueOrDefault(process), "grpc_e2e", 1, n, node: process, inFlight: inFlight));
                }

                figures.Add(Figure.Of("command_latency_p50_ms_pipelined", name, pipelined.CommandLatency(50), "ms", sameCallers?.CommandLatency(50), "grpc_e2e", 1, n, inFlight: inFlight));
                figures.Add(Figure.Of("command_latency_p99_ms_pipelined", name, pipelined.CommandLatency(99), "ms", sameCallers?.CommandLatency(99), "grpc_e2e", 1, n, inFlight: inFlight));
            }
        }

        if (launches.Count == 0)
        {
            return figures;
        }

        var biggest = launches.MaxBy(l => l.Commands)!;
        foreach (var (node, rss) in biggest.PeakRssMb)
        {
            if (rss is { } mb)
            {
                figures.Add(Figure.Of("node_rss_mb", name, mb, "MB", RssTargetMb, "target", n: (int)biggest.Commands, node: node));
            }
        }

        var healthy = Stats.Median(launches.Select(l => l.ToHealthy.TotalMilliseconds));
        figures.Add(Figure.Of("launch_to_healthy_ms", name, healthy, "ms", HealthyTargetMs, "target"));
        return figures.Where(f => !double.IsNaN(f.Value)).ToList();
    }

    /// <summary>The median of <paramref name="repeat"/> runs of <paramref name="measure"/>, after one discarded.</summary>
    private static async Task<double> MedianAfterWarmUpAsync(int repeat, Func<Task<double>> measure)
    {
        await measure();
        var values = new List<double>();
        for (var r = 1; r <= repeat; r++)
        {
            values.Add(await measure());
        }

        return Stats.Median(values);
    }
}
