namespace EventSourcing.UserSystem;

/// <summary>Follows the catalogue, counting in a title count of its own each title the catalogue counts.</summary>
public sealed class Newsletter : ProcessApplication, INewsletter
{
    public Newsletter(IReadOnlyDictionary<string, string>? env = null)
        : base(env)
    {
        On<TitleCount.Added>((_, processingEvent, cancellationToken) => TitleCount.AddOneAsync(Repository, processingEvent, cancellationToken));
    }

    public async Task<int> CountAnnouncementsAsync(CancellationToken cancellationToken = default)
        => (await Repository.FindAsync<TitleCount>(TitleCount.TheId, cancellationToken))?.Count ?? 0;
}
