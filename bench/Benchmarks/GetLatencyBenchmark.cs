using System.Diagnostics;

namespace EventSourcing.Benchmarks;

/// <summary>
/// How long <c>Repository.GetAsync</c> takes for an aggregate with few and with many events. The two are
/// measured in alternating rounds and each figure is the best round's mean, so that a busy moment of the
/// machine does not land on one side only.
/// </summary>
public static class GetLatencyBenchmark
{
    private const int Rounds = 5;

    public static async Task<IReadOnlyList<Result>> RunAsync(
        string label,
        Backend backend,
        IReadOnlyDictionary<string, string> settings,
        int fewEvents,
        int manyEvents,
        int gets,
        CancellationToken cancellationToken)
    {
        await using var scope = await backend.OpenAsync(cancellationToken);
        await using var store = new CounterStore(scope.With(settings));

        // Setting up is not measured: on a disk, saving events in groups keeps it short.
        var eventsPerSave = backend.IsDurable ? 100 : 1;
        var few = await store.CreateAsync("few", fewEvents, eventsPerSave, cancellationToken);
        var many = await store.CreateAsync("many", manyEvents, eventsPerSave, cancellationToken);

        // Warm up both paths (JIT, tiering), then measure.
        await MeasureAsync(store, few, Math.Min(gets, 2_000), fewEvents, cancellationToken);
        await MeasureAsync(store, many, Math.Min(gets, 2_000), manyEvents, cancellationToken);
        var (fewTime, manyTime) = (double.MaxValue, double.MaxValue);
        for (var round = 0; round < Rounds; round++)
        {
            fewTime = Math.Min(fewTime, await MeasureAsync(store, few, gets, fewEvents, cancellationToken));
            manyTime = Math.Min(manyTime, await MeasureAsync(store, many, gets, manyEvents, cancellationToken));
        }

        return
        [
            new($"{label}: {fewEvents:N0} events", Micros(fewTime), $"best of {Rounds} rounds of {gets:N0} gets"),
            new($"{label}: {manyEvents:N0} events", Micros(manyTime), $"ratio {manyTime / fewTime:F2}"),
        ];
    }

    private static async Task<double> MeasureAsync(CounterStore store, Guid id, int gets, int expectedVersion, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < gets; i++)
        {
            var counter = await store.GetAsync(id, cancellationToken);
            if (counter.Version != expectedVersion)
            {
                throw new InvalidOperationException($"Got version {counter.Version}, expected {expectedVersion}");
            }
        }

        return clock.Elapsed.TotalMicroseconds / gets;
    }

    private static string Micros(double micros) => $"{micros:F1} µs per get";
}
