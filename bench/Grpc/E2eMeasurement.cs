using EventSourcing.Benchmarks;
using EventSourcing.Examples.DogSchool;
using EventSourcing.Grpc;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.GrpcBench;

/// <summary>The measured runs of one size and number of clients on one store, after the discarded warm-up.</summary>
internal sealed record E2eResult(IReadOnlyList<WorkloadRun> Runs, IReadOnlyList<IReadOnlyList<double>> ProcessedLatenciesMs)
{
    public double Rate => Stats.Median(Runs.Select(r => r.Notifications / r.EndToEnd.TotalSeconds));

    /// <summary>The median over the runs of each run's percentile.</summary>
    public double CommandLatency(double percentile) => Stats.Median(Runs.Select(r => Stats.Percentile(r.CommandLatenciesMs, percentile)));

    public double ProcessedLatency(double percentile) => Stats.Median(ProcessedLatenciesMs.Select(l => Stats.Percentile(l, percentile)));
}

/// <summary>A system launched once, for the warm-up and the measured runs: how long it took to be healthy and how large its nodes grew.</summary>
internal sealed record Launch(TimeSpan ToHealthy, IReadOnlyDictionary<string, double?> PeakRssMb, long Commands);

/// <summary>
/// The workload on the system launched with the runner CLI, through the protos (<see cref="RemoteProxy"/>): a fresh
/// store and launch per size and number of clients, a warm-up run, then the measured runs. With one client, a Subscribe
/// stream on Counters also times each trick from the call's start until its Counter event arrives.
/// </summary>
internal static class GrpcE2e
{
    public static async Task<(E2eResult Result, Launch Launch)> MeasureAsync(Store store, int dogs, int clients, int repeat, Action<string> say, CancellationToken cancellationToken)
    {
        await using var scope = await store.Backend.OpenAsync(cancellationToken);
        await using var system = await LaunchedSystem.LaunchAsync(scope.Settings, cancellationToken);
        say($"{store.Name}: launched in {system.LaunchToHealthy.TotalMilliseconds:0} ms; N = {dogs:N0}, {clients} clients, over gRPC");
        var school = RemoteProxy.Create<IDogSchool>(system.School, "DogSchool");
        var runs = new List<WorkloadRun>();
        var processed = new List<IReadOnlyList<double>>();
        for (var r = 0; r <= repeat; r++)
        {
            ProcessedProbe? probe = clients == 1 ? await ProcessedProbe.StartAsync(system.Counters, cancellationToken) : null;
            await using (probe)
            {
                var run = await Workload.RunAsync(school, dogs, clients, $"run {r}", ct => CaughtUpAsync(system, ct), cancellationToken);
                var latencies = probe is null ? [] : await probe.LatenciesAsync(run.TrickStarts);
                say($"{store.Name}: {(r == 0 ? "warm-up" : $"run {r}")}: {run.Notifications / run.EndToEnd.TotalSeconds:N0} notifications/s");
                if (r > 0)
                {
                    runs.Add(run);
                    processed.Add(latencies);
                }
            }
        }

        await CheckCountsAsync(system.Counters, (repeat + 1) * dogs, cancellationToken);
        var rss = system.Nodes.ToDictionary(n => n.Key, n => LaunchedSystem.PeakRssMb(n.Value.Pid), StringComparer.Ordinal);
        return (new E2eResult(runs, processed.Where(p => p.Count > 0).ToList()), new Launch(system.LaunchToHealthy, rss, 2L * (repeat + 1) * dogs));
    }

    /// <summary>Until Counters' position (from Status) reaches DogSchool's max notification id.</summary>
    public static async Task CaughtUpAsync(LaunchedSystem system, CancellationToken cancellationToken)
    {
        var max = (await system.School.StatusAsync(cancellationToken)).MaxNotificationId;
        while (true)
        {
            var status = await system.Counters.StatusAsync(cancellationToken);
            if (status.Leaders.Count > 0 && status.Leaders[0].Position >= max)
            {
                return;
            }

            if (status.State == Proto.NodeState.Failed || status.Leaders.Any(l => l.State == Proto.PipeState.Failed))
            {
                throw new BenchmarkException($"Counters failed: {status.LastError} {string.Join("; ", status.Leaders.Select(l => l.LastError))}");
            }

            await Task.Delay(1, cancellationToken);
        }
    }

    private static async Task CheckCountsAsync(NodeClient counters, int tricks, CancellationToken cancellationToken)
    {
        var proxy = RemoteProxy.Create<ICounters>(counters, "Counters");
        var total = 0;
        foreach (var trick in Enumerable.Range(1, 10))
        {
            total += await proxy.GetCountAsync($"trick {trick}", cancellationToken);
        }

        if (total != tricks)
        {
            throw new BenchmarkException($"Counters counted {total} tricks, not {tricks}");
        }
    }
}

/// <summary>The same workload on the in-process multi-threaded runner, on the same store: what the gRPC system is compared with.</summary>
internal static class InProcessE2e
{
    public static async Task<E2eResult> MeasureAsync(Store store, int dogs, int clients, int repeat, Action<string> say, CancellationToken cancellationToken)
    {
        await using var scope = await store.Backend.OpenAsync(cancellationToken);
        await using var runner = new MultiThreadedRunner(DogSchoolSystem.System, scope.Settings);
        await runner.StartAsync(cancellationToken);
        var school = runner.Get<IDogSchool>();
        var runs = new List<WorkloadRun>();
        for (var r = 0; r <= repeat; r++)
        {
            var run = await Workload.RunAsync(school, dogs, clients, $"run {r}", runner.WaitForCatchUpAsync, cancellationToken);
            say($"{store.Name}: in process, N = {dogs:N0}, {clients} clients, {(r == 0 ? "warm-up" : $"run {r}")}: {run.Notifications / run.EndToEnd.TotalSeconds:N0} notifications/s");
            if (r > 0)
            {
                runs.Add(run);
            }
        }

        await runner.StopAsync(cancellationToken);
        return new E2eResult(runs, []);
    }
}

/// <summary>Medians and percentiles.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> values) => Percentile([.. values], 50);

    /// <summary>The nearest-rank percentile; NaN for no values.</summary>
    public static double Percentile(IReadOnlyList<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
