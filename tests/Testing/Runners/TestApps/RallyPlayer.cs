namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>Answers each hit of the player it follows with the next hit, until the rally's limit: a bounded processing loop.</summary>
public abstract class RallyPlayer : ProcessApplication, IRallyPlayer
{
    protected RallyPlayer(IReadOnlyDictionary<string, string>? env)
        : base(env)
    {
        RallyId = Uuid.V5(Uuid.NamespaceUrl, $"/rally/{Name}");
        On<Rally.Struck>(async (struck, processingEvent, cancellationToken) =>
        {
            if (struck.Number >= struck.Limit)
            {
                return;
            }

            var rally = await FindRallyAsync(cancellationToken) ?? Rally.Start(RallyId);
            rally.Hit(struck.Number + 1, struck.Limit);
            processingEvent.CollectEvents(rally);
        });
    }

    protected Guid RallyId { get; }

    public async Task<IReadOnlyList<int>> GetHitsAsync(CancellationToken cancellationToken = default)
        => (await FindRallyAsync(cancellationToken))?.Hits.ToArray() ?? [];

    public Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default)
        => Task.FromResult(Environment.Get(key));

    public Task<long> GetMaxNotificationIdAsync(CancellationToken cancellationToken = default)
        => Log.MaxNotificationIdAsync(cancellationToken);

    protected Task<Rally?> FindRallyAsync(CancellationToken cancellationToken)
        => Repository.FindAsync<Rally>(RallyId, cancellationToken);
}
