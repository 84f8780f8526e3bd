namespace EventSourcing.Examples.DogSchool;

/// <summary>Counts the tricks added to dogs in <see cref="DogSchool"/>.</summary>
public sealed class Counters : ProcessApplication, ICounters
{
    public Counters(IReadOnlyDictionary<string, string>? env = null)
        : base(env)
    {
        On<Dog.TrickAdded>(async (trickAdded, processingEvent, cancellationToken) =>
        {
            var counter = await GetCounterAsync(trickAdded.Trick, cancellationToken) ?? Counter.Start(trickAdded.Trick);
            counter.Increment();
            processingEvent.CollectEvents(counter);
        });
    }

    public async Task<int> GetCountAsync(string trick, CancellationToken cancellationToken = default)
        => (await GetCounterAsync(trick, cancellationToken))?.Count ?? 0;

    private Task<Counter?> GetCounterAsync(string trick, CancellationToken cancellationToken)
        => Repository.FindAsync<Counter>(Counter.CreateId(trick), cancellationToken);
}
