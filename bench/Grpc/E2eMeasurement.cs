using System.Diagnostics;
using EventSourcing.Benchmarks;
using EventSourcing.Examples.DogSchool;
using EventSourcing.Grpc;
using Proto = EventSourcing.Grpc.V1;

namespace EventSourcing.GrpcBench;

/// <summary>
/// The measured runs of one size and number of clients on one store, after the discarded warm-up runs; the rate of the
/// first warm-up run (the system cold); and the CPU time per command during the measured runs, by process.
/// </summary>
internal sealed record E2eResult(
    IReadOnlyList<WorkloadRun> Runs,
    IReadOnlyList<IReadOnlyList<double>> ProcessedLatenciesMs,
    double FirstRunRate,
    IReadOnlyDictionary<string, double> CpuMsPerCommand)
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
    /// <param name="pipelined">
    /// One client instead: its <paramref name="clients"/> callers share one <see cref="RemoteCallStream"/>, so that
    /// many calls are in flight on one stream (<c>Application.CallStream</c>) instead of one unary call each.
    /// </param>
    public static async Task<(E2eResult Result, Launch Launch)> MeasureAsync(
        Store store, int dogs, int clients, int repeat, TimeSpan warmup, Action<string> say, CancellationToken cancellationToken, bool pipelined = false)
    {
        await using var scope = await store.Backend.OpenAsync(cancellationToken);
        await using var system = await LaunchedSystem.LaunchAsync(scope.Settings, cancellationToken);
        var callers = pipelined ? $"1 client with {clients} calls in flight on one stream" : $"{clients} clients";
        say($"{store.Name}: launched in {system.LaunchToHealthy.TotalMilliseconds:0} ms; N = {dogs:N0}, {callers}, over gRPC");
        await using var stream = pipelined ? new RemoteCallStream(system.School, "DogSchool") : null;
        var school = stream is null ? RemoteProxy.Create<IDogSchool>(system.School, "DogSchool") : RemoteProxy.Create<IDogSchool>(stream);
        var runs = new List<WorkloadRun>();
        var processed = new List<IReadOnlyList<double>>();
        var (warmups, firstRate) = await WarmUpAsync(
            warmup,
            label => Workload.RunAsync(school, dogs, clients, label, ct => CaughtUpAsync(system, ct), cancellationToken),
            rate => say($"{store.Name}: warm-up: {rate:N0} notifications/s"));
        var cpu = CpuClock.Start(system.Nodes.ToDictionary(n => n.Key, n => n.Value.Pid, StringComparer.Ordinal), "client");
        for (var r = 1; r <= repeat; r++)
        {
            ProcessedProbe? probe = clients == 1 && !pipelined ? await ProcessedProbe.StartAsync(system.Counters, cancellationToken) : null;
            await using (probe)
            {
                var run = await Workload.RunAsync(school, dogs, clients, $"run {r}", ct => CaughtUpAsync(system, ct), cancellationToken);
                var latencies = probe is null ? [] : await probe.LatenciesAsync(run.TrickStarts);
                var described = probe is not null && latencies.Count == 0 && run.TrickStarts.Count > 0
                    ? "; arrivals on Counters' stream still missing after the deadline: no processed latencies from this run"
                    : DescribeProcessed(latencies, run);
                say($"{store.Name}: run {r}: {run.Notifications / run.EndToEnd.TotalSeconds:N0} notifications/s{described}");
                runs.Add(run);
                processed.Add(latencies);
            }
        }

        var cpuMs = cpu.MsPerCommand(runs.Sum(r => r.Notifications));
        say($"{store.Name}: CPU per command: {string.Join(", ", cpuMs.Select(c => $"{c.Key} {c.Value:0.000} ms"))}");
        await CheckCountsAsync(system.Counters, (repeat + warmups) * dogs, cancellationToken);
        var rss = system.Nodes.ToDictionary(n => n.Key, n => LaunchedSystem.PeakRssMb(n.Value.Pid), StringComparer.Ordinal);
        return (
            new E2eResult(runs, processed.Where(p => p.Count > 0).ToList(), firstRate, cpuMs),
            new Launch(system.LaunchToHealthy, rss, 2L * (repeat + warmups) * dogs));
    }

    /// <summary>
    /// The processed latencies of a run, for its progress line: p50, p99, and the slowest, with when its call started
    /// and how long the call itself took (with one client, its commands alternate: a dog registered, a trick added).
    /// </summary>
    private static string DescribeProcessed(IReadOnlyList<double> latencies, WorkloadRun run)
    {
        if (latencies.Count == 0)
        {
            return string.Empty;
        }

        var slowest = 0;
        for (var k = 1; k < latencies.Count; k++)
        {
            slowest = latencies[k] > latencies[slowest] ? k : slowest;
        }

        var at = Stopwatch.GetElapsedTime(run.TrickStarts[0], run.TrickStarts[slowest]).TotalSeconds;
        return $"; processed p50 {Stats.Percentile(latencies, 50):0.00} ms, p99 {Stats.Percentile(latencies, 99):0.00} ms, "
            + $"slowest {latencies[slowest]:0.0} ms ({at:0.0} s into the run, its call {run.CommandLatenciesMs[(2 * slowest) + 1]:0.0} ms); "
            + $"slowest call {run.CommandLatenciesMs.Max():0.0} ms";
    }

    /// <summary>
    /// Runs of the same size, discarded, until <paramref name="warmup"/> has passed (at least one): JIT compilation
    /// in the nodes and the client goes on for tens of seconds under load. Returns how many, and the first one's rate.
    /// </summary>
    public static async Task<(int Runs, double FirstRate)> WarmUpAsync(TimeSpan warmup, Func<string, Task<WorkloadRun>> run, Action<double> said)
    {
        var first = double.NaN;
        var runs = await WarmUp.ForAtLeastAsync(
            warmup,
            async i =>
            {
                var warm = await run($"warm-up {i}");
                var rate = warm.Notifications / warm.EndToEnd.TotalSeconds;
                first = i == 0 ? rate : first;
                said(rate);
            });
        return (runs, first);
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

/// <summary>Discarded runs before a measurement.</summary>
internal static class WarmUp
{
    /// <summary>Calls <paramref name="run"/> (with 0, 1, ...) until <paramref name="minimum"/> has passed, at least once; returns how many times.</summary>
    public static async Task<int> ForAtLeastAsync(TimeSpan minimum, Func<int, Task> run)
    {
        var clock = Stopwatch.StartNew();
        var runs = 0;
        do
        {
            await run(runs++);
        }
        while (clock.Elapsed < minimum);

        return runs;
    }
}

/// <summary>The same workload on the in-process multi-threaded runner, on the same store: what the gRPC system is compared with.</summary>
internal static class InProcessE2e
{
    public static async Task<E2eResult> MeasureAsync(
        Store store, int dogs, int clients, int repeat, TimeSpan warmup, Action<string> say, CancellationToken cancellationToken)
    {
        await using var scope = await store.Backend.OpenAsync(cancellationToken);
        await using var runner = new MultiThreadedRunner(DogSchoolSystem.System, scope.Settings);
        await runner.StartAsync(cancellationToken);
        var school = runner.Get<IDogSchool>();
        var runs = new List<WorkloadRun>();
        var (_, firstRate) = await GrpcE2e.WarmUpAsync(
            warmup,
            label => Workload.RunAsync(school, dogs, clients, label, runner.WaitForCatchUpAsync, cancellationToken),
            rate => say($"{store.Name}: in process, N = {dogs:N0}, {clients} clients, warm-up: {rate:N0} notifications/s"));
        var cpu = CpuClock.Start(new Dictionary<string, int>(StringComparer.Ordinal), "in_process");
        for (var r = 1; r <= repeat; r++)
        {
            var run = await Workload.RunAsync(school, dogs, clients, $"run {r}", runner.WaitForCatchUpAsync, cancellationToken);
            say($"{store.Name}: in process, N = {dogs:N0}, {clients} clients, run {r}: {run.Notifications / run.EndToEnd.TotalSeconds:N0} notifications/s");
            runs.Add(run);
        }

        var cpuMs = cpu.MsPerCommand(runs.Sum(r => r.Notifications));
        await runner.StopAsync(cancellationToken);
        return new E2eResult(runs, [], firstRate, cpuMs);
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
