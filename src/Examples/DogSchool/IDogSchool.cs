namespace EventSourcing.Examples.DogSchool;

[Remote]
public interface IDogSchool
{
    /// <summary>Registers a dog and returns its id.</summary>
    Task<Guid> RegisterDogAsync(string name, CancellationToken cancellationToken = default);

    Task AddTrickAsync(string name, string trick, CancellationToken cancellationToken = default);

    Task<DogDetails> GetDogAsync(string name, CancellationToken cancellationToken = default);
}

public sealed record DogDetails(string Name, IReadOnlyList<string> Tricks);
