namespace EventSourcing.UserSystem;

public sealed class TitleCount : Aggregate
{
    public static readonly Guid TheId = Uuid.V5(Uuid.NamespaceUrl, "/catalogue/titles");

    private TitleCount()
    {
    }

    public int Count { get; private set; }

    public static TitleCount Start() => Create<TitleCount>(TheId, new Started());

    public void Add() => Trigger(new Added());

    /// <summary>Adds one to the count in <paramref name="repository"/> (starting it at the first), collecting its events.</summary>
    public static async Task AddOneAsync(Repository repository, ProcessingEvent processingEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(processingEvent);
        var count = await repository.FindAsync<TitleCount>(TheId, cancellationToken) ?? Start();
        count.Add();
        processingEvent.CollectEvents(count);
    }

    protected override void Apply(DomainEvent domainEvent)
    {
        if (domainEvent is Added)
        {
            Count++;
        }
    }

    [Topic("library:TitleCount.Started")]
    public sealed record Started : DomainEvent;

    [Topic("library:TitleCount.Added")]
    public sealed record Added : DomainEvent;
}
