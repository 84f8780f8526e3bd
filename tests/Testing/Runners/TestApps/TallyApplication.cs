namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>Follows <see cref="Source"/> and keeps every written text in its own event-sourced <see cref="Tally"/>; ignores the rest.</summary>
public abstract class TallyApplication : ProcessApplication, ITally
{
    public static readonly Guid TallyId = Uuid.V5(Uuid.NamespaceUrl, "/tally");

    protected TallyApplication(IReadOnlyDictionary<string, string>? env)
        : base(env)
    {
        On<Notebook.Written>(HandleAsync);
    }

    public async Task<IReadOnlyList<string>> GetEntriesAsync(CancellationToken cancellationToken = default)
        => (await Repository.FindAsync<Tally>(TallyId, cancellationToken))?.Entries.ToArray() ?? [];

    public Task<IReadOnlyList<string>?> GetFollowTopicsAsync(CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<string>?>(FollowTopics?.ToArray());

    public Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default)
        => Task.FromResult(Environment.Get(key));

    public Task<long> GetMaxNotificationIdAsync(CancellationToken cancellationToken = default)
        => Log.MaxNotificationIdAsync(cancellationToken);

    protected virtual async Task HandleAsync(Notebook.Written written, ProcessingEvent processingEvent, CancellationToken cancellationToken)
    {
        var tally = await Repository.FindAsync<Tally>(TallyId, cancellationToken) ?? Tally.Start(TallyId);
        tally.Add(written.Text);
        processingEvent.CollectEvents(tally);
    }
}
