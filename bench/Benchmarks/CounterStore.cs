using EventSourcing.Examples.DogSchool;

namespace EventSourcing.Benchmarks;

/// <summary>Counters in a plain application: their state stays one integer however many events they have.</summary>
public sealed class CounterStore(IReadOnlyDictionary<string, string>? env = null) : Application(env)
{
    /// <summary>Creates a counter with <paramref name="events"/> events, saved <paramref name="eventsPerSave"/> at a time.</summary>
    public async Task<Guid> CreateAsync(string name, int events, int eventsPerSave, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(eventsPerSave, 1);
        var counter = Counter.Start(name);
        await SaveAsync(counter, cancellationToken);
        for (var i = 1; i < events; i++)
        {
            counter.Increment();
            if (i % eventsPerSave == 0 || i == events - 1)
            {
                await SaveAsync(counter, cancellationToken);
            }
        }

        return counter.Id;
    }

    public Task<Counter> GetAsync(Guid id, CancellationToken cancellationToken = default)
        => Repository.GetAsync<Counter>(id, cancellationToken);
}
