using EventSourcing.Examples.DogSchool;

namespace EventSourcing.Examples.TrickView;

/// <summary>
/// The tutorial's third exercise: follows <see cref="DogSchool.DogSchool"/> and keeps a materialized view that is
/// not event-sourced, the <see cref="DogTricksTable"/> (which dog knows which trick), in its own database.
/// Each change to the view is written in the transaction that records the tracking row of the event it
/// came from, so every event changes the view exactly once, even when it is delivered again.
/// </summary>
public sealed class TrickView : ProcessApplication, ITrickView
{
    public TrickView(IReadOnlyDictionary<string, string>? env = null)
        : base(env)
    {
        Table = new DogTricksTable(Name, Environment);
        On<Dog.TrickAdded>((trickAdded, processingEvent) =>
            processingEvent.AddViewChange(Table.Learned(trickAdded.OriginatorId, trickAdded.Trick)));
    }

    public DogTricksTable Table { get; }

    public async Task<IReadOnlyList<string>> GetTricksAsync(string dogName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(dogName);
        var rows = await SelectAsync(Dog.CreateId(dogName), trick: null, cancellationToken);
        return [.. rows.Select(r => r.Trick)];
    }

    public async Task<int> GetDogCountAsync(string trick, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(trick);
        return (await SelectAsync(dogId: null, trick, cancellationToken)).Count;
    }

    public Task<IReadOnlyList<DogTrick>> GetRowsAsync(CancellationToken cancellationToken = default)
        => SelectAsync(dogId: null, trick: null, cancellationToken);

    private Task<IReadOnlyList<DogTrick>> SelectAsync(Guid? dogId, string? trick, CancellationToken cancellationToken)
        => Recorder.ReadViewAsync((transaction, ct) => Table.SelectAsync(transaction, dogId, trick, ct), cancellationToken);
}
