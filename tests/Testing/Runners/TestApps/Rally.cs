namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>The hits one <see cref="RallyPlayer"/> made.</summary>
public sealed class Rally : Aggregate
{
    private Rally()
    {
    }

    public List<int> Hits { get; } = [];

    public static Rally Start(Guid id) => Create<Rally>(id, new Started());

    public void Hit(int number, int limit) => Trigger(new Struck(number, limit));

    protected override void Apply(DomainEvent domainEvent)
    {
        if (domainEvent is Struck struck)
        {
            Hits.Add(struck.Number);
        }
    }

    public sealed record Started : DomainEvent;

    public sealed record Struck(int Number, int Limit) : DomainEvent;
}
