using EventSourcing.Examples.DogSchool;

namespace EventSourcing.Integration.Tests.PoisonSystem;

/// <summary>Counts tricks like Counters, but its policy throws on the trick "bite": a poison event.</summary>
public sealed class PickyCounters : ProcessApplication, ICounters
{
    public const string PoisonTrick = "bite";

    public PickyCounters(IReadOnlyDictionary<string, string>? env = null)
        : base(env)
    {
        On<Dog.TrickAdded>(async (trickAdded, processingEvent, cancellationToken) =>
        {
            if (trickAdded.Trick == PoisonTrick)
            {
                throw new InvalidOperationException($"PickyCounters will not count '{PoisonTrick}'");
            }

            var counter = await Repository.FindAsync<Counter>(Counter.CreateId(trickAdded.Trick), cancellationToken) ?? Counter.Start(trickAdded.Trick);
            counter.Increment();
            processingEvent.CollectEvents(counter);
        });
    }

    public async Task<int> GetCountAsync(string trick, CancellationToken cancellationToken = default)
        => (await Repository.FindAsync<Counter>(Counter.CreateId(trick), cancellationToken))?.Count ?? 0;
}
