namespace EventSourcing.UserSystem;

/// <summary>Counts the library's titles in an aggregate of its own.</summary>
public sealed class Catalogue : ProcessApplication, ICatalogue
{
    public Catalogue(IReadOnlyDictionary<string, string>? env = null)
        : base(env)
    {
        On<Book.Acquired>((_, processingEvent, cancellationToken) => TitleCount.AddOneAsync(Repository, processingEvent, cancellationToken));
    }

    public async Task<int> CountTitlesAsync(CancellationToken cancellationToken = default)
        => (await Repository.FindAsync<TitleCount>(TitleCount.TheId, cancellationToken))?.Count ?? 0;
}
