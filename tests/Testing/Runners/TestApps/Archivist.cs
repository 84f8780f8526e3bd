namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>Keeps the type name of every event of its leaders, through one policy for the base event type.</summary>
public sealed class Archivist : TallyApplication
{
    public Archivist(IReadOnlyDictionary<string, string>? env = null)
        : base(env)
    {
        On<DomainEvent>(async (domainEvent, processingEvent, cancellationToken) =>
        {
            var tally = await Repository.FindAsync<Tally>(TallyId, cancellationToken) ?? Tally.Start(TallyId);
            tally.Add(domainEvent.GetType().Name);
            processingEvent.CollectEvents(tally);
        });
    }
}
