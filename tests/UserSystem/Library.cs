namespace EventSourcing.UserSystem;

public sealed class Library(IReadOnlyDictionary<string, string>? env = null) : Application(env), ILibrary
{
    public async Task AcquireAsync(string title, CancellationToken cancellationToken = default)
        => await SaveAsync(Book.Acquire(title), cancellationToken);
}
