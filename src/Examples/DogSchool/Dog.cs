namespace EventSourcing.Examples.DogSchool;

public sealed class Dog : Aggregate
{
    private Dog()
    {
    }

    public string Name { get; private set; } = string.Empty;

    public List<string> Tricks { get; } = [];

    public static Guid CreateId(string name) => Uuid.V5(Uuid.NamespaceUrl, $"/dogs/{name}");

    public static Dog Register(string name) => Create<Dog>(CreateId(name), new Registered(name));

    public void AddTrick(string trick) => Trigger(new TrickAdded(trick));

    protected override void Apply(DomainEvent domainEvent)
    {
        switch (domainEvent)
        {
            case Registered registered:
                Name = registered.Name;
                break;
            case TrickAdded trickAdded:
                Tricks.Add(trickAdded.Trick);
                break;
        }
    }

    [Topic("dogschool:Dog.Registered")]
    public sealed record Registered(string Name) : DomainEvent;

    [Topic("dogschool:Dog.TrickAdded")]
    public sealed record TrickAdded(string Trick) : DomainEvent;
}
