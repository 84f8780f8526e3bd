namespace EventSourcing.UserSystem;

public sealed class Book : Aggregate
{
    private Book()
    {
    }

    public string Title { get; private set; } = string.Empty;

    public static Guid CreateId(string title) => Uuid.V5(Uuid.NamespaceUrl, $"/books/{title}");

    public static Book Acquire(string title) => Create<Book>(CreateId(title), new Acquired(title));

    protected override void Apply(DomainEvent domainEvent)
    {
        if (domainEvent is Acquired acquired)
        {
            Title = acquired.Title;
        }
    }

    [Topic("library:Book.Acquired")]
    public sealed record Acquired(string Title) : DomainEvent;
}
