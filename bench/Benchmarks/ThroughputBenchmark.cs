using System.Diagnostics;
using EventSourcing.Examples.DogSchool;

namespace EventSourcing.Benchmarks;

/// <summary>
/// DogSchool -> Counters on the <see cref="MultiThreadedRunner"/>, on the given backend. Each event is saved on its own
/// (one <c>SaveAsync</c> per trick added), then followed and processed by Counters, which records one event per
/// trick added and its tracking rows. Timed from the first save until Counters has caught up.
/// Each figure is the best of <c>repeat</c> runs: the machine may be busy with other work. Every run has fresh stores.
/// </summary>
public static class ThroughputBenchmark
{
    private static readonly string[] TrickNames = [.. Enumerable.Range(1, 10).Select(i => $"trick {i}")];

    public static async Task<IReadOnlyList<Result>> RunAsync(
        Backend backend,
        int events,
        int dogs,
        int repeat,
        bool withCommands,
        CancellationToken cancellationToken)
    {
        // A cache that holds every dog, so that commands find them there.
        var env = new Dictionary<string, string>
        {
            ["AGGREGATE_CACHE_MAXSIZE"] = dogs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var note = $"best of {repeat}";

        var endToEnd = TimeSpan.MaxValue;
        var savingWhileProcessing = TimeSpan.MaxValue;
        for (var r = 0; r < repeat; r++)
        {
            var (saved, caughtUp) = await RunSystemAsync(backend, env, events, dogs, async (school, all, i, ct) =>
            {
                var dog = all[i % dogs];
                dog.AddTrick(TrickName(i, dogs));
                await school.SaveAsync(dog, ct);
            }, cancellationToken);
            endToEnd = Min(endToEnd, caughtUp);
            savingWhileProcessing = Min(savingWhileProcessing, saved);
        }

        var commands = TimeSpan.MaxValue;
        for (var r = 0; withCommands && r < repeat; r++)
        {
            var (_, caughtUp) = await RunSystemAsync(backend, env, events, dogs, (school, _, i, ct) =>
                school.AddTrickAsync($"dog {i % dogs}", TrickName(i, dogs), ct), cancellationToken);
            commands = Min(commands, caughtUp);
        }

        var (savingAlone, processingAlone) = (TimeSpan.MaxValue, TimeSpan.MaxValue);
        for (var r = 0; r < repeat; r++)
        {
            var (saving, processing) = await RunHalvesAsync(backend, env, events, dogs, cancellationToken);
            savingAlone = Min(savingAlone, saving);
            processingAlone = Min(processingAlone, processing);
        }

        List<Result> results =
        [
            new("(a) save + follow + process", Rate(events, endToEnd), $"{note}; {events:N0} events, one per SaveAsync" + (backend.IsDurable ? string.Empty : "; target 100,000 events/s")),
            new("    of which saving, follower running", Rate(events, savingWhileProcessing), note),
        ];
        if (withCommands)
        {
            results.Add(new("    with AddTrick commands (get + save)", Rate(events, commands), $"{note}; {dogs:N0} dogs, all in the cache"));
        }

        // A batch is one transaction for all its tracking rows and new events; a save is one transaction per event.
        results.Add(new("    saving alone, no follower", Rate(events, savingAlone), $"{note}; one thread, one transaction per event"));
        results.Add(new(
            "    follow + process a backlog alone",
            Rate(events, processingAlone),
            $"{note}; one thread, batches of {InProcessRunner.BatchSize}; {savingAlone / processingAlone:F1}x the rate of saving alone"));
        return results;
    }

    private static async Task<(TimeSpan Saved, TimeSpan CaughtUp)> RunSystemAsync(
        Backend backend,
        IReadOnlyDictionary<string, string> settings,
        int events,
        int dogs,
        Func<DogSchool, Dog[], int, CancellationToken, Task> addTrick,
        CancellationToken cancellationToken)
    {
        await using var scope = await backend.OpenAsync(cancellationToken);
        await using var runner = new MultiThreadedRunner(DogSchoolSystem.System, scope.With(settings));
        await runner.StartAsync(cancellationToken);
        var school = runner.Get<DogSchool>();
        var all = await RegisterAsync(school, dogs, cancellationToken);
        await runner.WaitForCatchUpAsync(cancellationToken);

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < events; i++)
        {
            await addTrick(school, all, i, cancellationToken);
        }

        var saved = clock.Elapsed;
        await runner.WaitForCatchUpAsync(cancellationToken);
        var caughtUp = clock.Elapsed;
        await CheckCountsAsync(runner.Get<Counters>(), events, cancellationToken);
        await runner.StopAsync(cancellationToken);
        return (saved, caughtUp);
    }

    /// <summary>The two halves one after the other, on one thread: saving, then Counters processing the backlog.</summary>
    private static async Task<(TimeSpan Saving, TimeSpan Processing)> RunHalvesAsync(
        Backend backend,
        IReadOnlyDictionary<string, string> settings,
        int events,
        int dogs,
        CancellationToken cancellationToken)
    {
        await using var scope = await backend.OpenAsync(cancellationToken);
        var env = scope.With(settings);
        await using var school = new DogSchool(env);
        await using var counters = new Counters(env);
        var all = await RegisterAsync(school, dogs, cancellationToken);
        var start = await school.Log.MaxNotificationIdAsync(cancellationToken) + 1;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < events; i++)
        {
            var dog = all[i % dogs];
            dog.AddTrick(TrickName(i, dogs));
            await school.SaveAsync(dog, cancellationToken);
        }

        var saving = clock.Elapsed;
        clock.Restart();
        var position = start - 1;
        while (true)
        {
            var notifications = await school.Log.SelectAsync(position + 1, InProcessRunner.BatchSize, topics: counters.FollowTopics, cancellationToken: cancellationToken);
            if (notifications.Count == 0)
            {
                break;
            }

            await counters.ProcessAsync(school.Name, notifications, school.Mapper, cancellationToken);
            position = notifications[^1].Id;
        }

        var processing = clock.Elapsed;
        await CheckCountsAsync(counters, events, cancellationToken);
        return (saving, processing);
    }

    private static string TrickName(int i, int dogs) => TrickNames[i / dogs % TrickNames.Length];

    private static async Task<Dog[]> RegisterAsync(DogSchool school, int dogs, CancellationToken cancellationToken)
    {
        var all = new Dog[dogs];
        for (var d = 0; d < dogs; d++)
        {
            all[d] = Dog.Register($"dog {d}");
        }

        // Registered in bulk: registration is set-up, not what is measured.
        foreach (var chunk in all.Chunk(1_000))
        {
            await school.SaveAsync(chunk, cancellationToken);
        }

        return all;
    }

    private static async Task CheckCountsAsync(Counters counters, int events, CancellationToken cancellationToken)
    {
        var total = 0;
        foreach (var trick in TrickNames)
        {
            total += await counters.GetCountAsync(trick, cancellationToken);
        }

        if (total != events)
        {
            throw new InvalidOperationException($"Counters counted {total} tricks, not {events}");
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string Rate(int events, TimeSpan elapsed)
        => $"{events / elapsed.TotalSeconds:N0} events/s ({elapsed.TotalSeconds:F2} s)";
}
