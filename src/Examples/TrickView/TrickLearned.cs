namespace EventSourcing.Examples.TrickView;

/// <summary>The view change for one taught trick: adds the (dog, trick) row or counts one more time on it.</summary>
public sealed class TrickLearned(DogTricksTable table, Guid dogId, string trick) : IViewChange
{
    public Guid DogId { get; } = dogId;

    public string Trick { get; } = trick;

    public Task ApplyAsync(IRecorderTransaction transaction, CancellationToken cancellationToken)
        => table.IncrementAsync(transaction, DogId, Trick, cancellationToken);
}
