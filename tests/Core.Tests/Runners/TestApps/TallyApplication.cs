namespace EventSourcing.Tests.Runners.TestApps;

/// <summary>Follows <see cref="Source"/> and keeps every written text in its own event-sourced <see cref="Tally"/>; ignores the rest.</summary>
public abstract class TallyApplication : ProcessApplication
{
    public static readonly Guid TallyId = Uuid.V5(Uuid.NamespaceUrl, "/tally");

    protected TallyApplication(IReadOnlyDictionary<string, string>? env)
        : base(env)
    {
        On<Notebook.Written>(HandleAsync);
    }

    public async Task<IReadOnlyList<string>> GetEntriesAsync(CancellationToken cancellationToken = default)
        => (await Repository.FindAsync<Tally>(TallyId, cancellationToken))?.Entries.ToArray() ?? [];

    protected virtual async Task HandleAsync(Notebook.Written written, ProcessingEvent processingEvent, CancellationToken cancellationToken)
    {
        var tally = await Repository.FindAsync<Tally>(TallyId, cancellationToken) ?? Tally.Start(TallyId);
        tally.Add(written.Text);
        processingEvent.CollectEvents(tally);
    }
}
