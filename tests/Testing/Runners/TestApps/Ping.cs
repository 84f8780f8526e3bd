namespace EventSourcing.Testing.Runners.TestApps;

public sealed class Ping(IReadOnlyDictionary<string, string>? env = null) : RallyPlayer(env), IPing
{
    /// <summary>Makes the first hit of a rally that ends at hit number <paramref name="limit"/>.</summary>
    public async Task ServeAsync(int limit, CancellationToken cancellationToken = default)
    {
        var rally = await FindRallyAsync(cancellationToken) ?? Rally.Start(RallyId);
        rally.Hit(1, limit);
        await SaveAsync(rally, cancellationToken);
    }
}
