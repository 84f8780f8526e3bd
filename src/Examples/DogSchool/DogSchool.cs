namespace EventSourcing.Examples.DogSchool;

public sealed class DogSchool(IReadOnlyDictionary<string, string>? env = null) : Application(env), IDogSchool
{
    public async Task<Guid> RegisterDogAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var dog = Dog.Register(name);
        await SaveAsync(dog, cancellationToken);
        return dog.Id;
    }

    public async Task AddTrickAsync(string name, string trick, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(trick);
        var dog = await Repository.GetAsync<Dog>(Dog.CreateId(name), cancellationToken);
        dog.AddTrick(trick);
        await SaveAsync(dog, cancellationToken);
    }

    public async Task<DogDetails> GetDogAsync(string name, CancellationToken cancellationToken = default)
    {
        var dog = await Repository.GetAsync<Dog>(Dog.CreateId(name), cancellationToken);
        return new DogDetails(dog.Name, [.. dog.Tricks]);
    }
}
