namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>The entries a <see cref="TallyApplication"/> has seen, in order.</summary>
public sealed class Tally : Aggregate
{
    private Tally()
    {
    }

    public List<string> Entries { get; } = [];

    public static Tally Start(Guid id) => Create<Tally>(id, new Started());

    public void Add(string entry) => Trigger(new Added(entry));

    protected override void Apply(DomainEvent domainEvent)
    {
        if (domainEvent is Added added)
        {
            Entries.Add(added.Entry);
        }
    }

    public sealed record Started : DomainEvent;

    public sealed record Added(string Entry) : DomainEvent;
}
