namespace EventSourcing.Tests.Applications;

/// <summary>Keeps what a hand-written aggregate may keep: private and read-only fields, entities pointing back at it, shared lists, structs, boxes.</summary>
internal sealed class Kennel : Aggregate
{
    private readonly List<KennelDog> _dogs = [];

    // A handler on itself, as an aggregate may register in its constructor: a copy's must act on the copy.
    private readonly Action<string> _rename;

    private Kennel()
    {
        _rename = name => Name = name;
    }

    public string Name { get; private set; } = string.Empty;

    public IReadOnlyList<KennelDog> Dogs => _dogs;

    public Dictionary<string, KennelDog> ByName { get; } = new(StringComparer.Ordinal);

    public HashSet<KennelDog> Vaccinated { get; } = [];

    public Dictionary<KennelDog, string> Owners { get; } = [];

    public TrickList[] Tricks { get; private set; } = [];

    public object Gear { get; private set; } = new Leash([]);

    public string Tag { get; private set; } = "loud";

    /// <summary>Something that cannot be copied, made by an event.</summary>
    public CancellationTokenSource? Alarm { get; private set; }

    /// <summary>The list of the last <see cref="Fenced"/> event itself, as an aggregate may keep part of an event.</summary>
    public List<string> Posts { get; private set; } = [];

    public static Kennel Open(string name) => Create<Kennel>(Guid.NewGuid(), new Opened(name));

    public void Admit(string dog, params string[] tricks) => Trigger(new Admitted(dog, tricks));

    public void Teach(string dog, string trick) => Trigger(new Taught(dog, trick));

    public void Fence(params string[] posts) => Trigger(new Fenced([.. posts]));

    public void Rename(string name) => Trigger(new Renamed(name));

    public void RaiseAlarm() => Trigger(new AlarmRaised());

    /// <summary>Changes the state without an event, as no command should.</summary>
    public void Retag(string tag) => Tag = tag;

    protected override void Apply(DomainEvent domainEvent)
    {
        switch (domainEvent)
        {
            case Opened opened:
                Name = opened.Name;
                break;
            case Admitted admitted:
                var dog = new KennelDog(this, admitted.Dog, [.. admitted.Tricks]);
                _dogs.Add(dog);
                ByName[dog.Name] = dog;
                Vaccinated.Add(dog);
                Owners[dog] = dog.Name;
                Tricks = [.. Tricks, new TrickList(dog.Name, dog.Tricks)];
                break;
            case Taught taught:
                ByName[taught.Dog].Tricks.Add(taught.Trick);
                break;
            case Fenced fenced:
                Posts = fenced.Posts;
                break;
            case Renamed renamed:
                _rename(renamed.Name);
                break;
            case AlarmRaised:
                Alarm = new CancellationTokenSource();
                break;
        }
    }

    private sealed record Opened(string Name) : DomainEvent;

    private sealed record Admitted(string Dog, string[] Tricks) : DomainEvent;

    private sealed record Taught(string Dog, string Trick) : DomainEvent;

    private sealed record Fenced(List<string> Posts) : DomainEvent;

    private sealed record Renamed(string Name) : DomainEvent;

    private sealed record AlarmRaised : DomainEvent;
}

/// <summary>Equal by identity only, as a class is unless it says otherwise.</summary>
internal sealed class KennelDog(Kennel kennel, string name, List<string> tricks)
{
    public Kennel Kennel { get; } = kennel;

    public string Name { get; } = name;

    public List<string> Tricks { get; } = tricks;
}

internal readonly record struct TrickList(string Dog, List<string> Names);

internal readonly record struct Leash(List<string> Marks);
