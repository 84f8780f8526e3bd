namespace EventSourcing.Examples.DogSchool;

public sealed class Counter : Aggregate
{
    private Counter()
    {
    }

    public string Name { get; private set; } = string.Empty;

    public int Count { get; private set; }

    public static Guid CreateId(string name) => Uuid.V5(Uuid.NamespaceUrl, $"/counters/{name}");

    public static Counter Start(string name) => Create<Counter>(CreateId(name), new Created(name));

    public void Increment() => Trigger(new Incremented());

    protected override void Apply(DomainEvent domainEvent)
    {
        switch (domainEvent)
        {
            case Created created:
                Name = created.Name;
                break;
            case Incremented:
                Count++;
                break;
        }
    }

    [Topic("counters:Counter.Created")]
    public sealed record Created(string Name) : DomainEvent;

    [Topic("counters:Counter.Incremented")]
    public sealed record Incremented : DomainEvent;
}
