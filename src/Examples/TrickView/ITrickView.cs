namespace EventSourcing.Examples.TrickView;

[Remote]
public interface ITrickView
{
    /// <summary>The tricks the dog has been taught, each once, in ordinal order; none for an unknown dog.</summary>
    Task<IReadOnlyList<string>> GetTricksAsync(string dogName, CancellationToken cancellationToken = default);

    /// <summary>How many dogs know the trick; 0 when none.</summary>
    Task<int> GetDogCountAsync(string trick, CancellationToken cancellationToken = default);

    /// <summary>Every row of the view, ordered by dog id, then trick.</summary>
    Task<IReadOnlyList<DogTrick>> GetRowsAsync(CancellationToken cancellationToken = default);
}
