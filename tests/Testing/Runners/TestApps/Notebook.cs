using System.Text.Json.Serialization;

namespace EventSourcing.Testing.Runners.TestApps;

/// <summary>A named list of texts, written to by <see cref="Source"/>.</summary>
public sealed class Notebook : Aggregate
{
    // Kept in a field behind a read-only view, so the cache and snapshots must carry fields too.
    private readonly List<string> _tags = [];

    [JsonIgnore]
    private int _appliedEvents;

    private Notebook()
    {
    }

    public string Name { get; private set; } = string.Empty;

    public List<string> Texts { get; } = [];

    public IReadOnlyList<string> Tags => _tags;

    /// <summary>How many events were applied to this object since it was created or loaded (not stored).</summary>
    [JsonIgnore]
    public int AppliedEvents => _appliedEvents;

    public static Guid CreateId(string name) => Uuid.V5(Uuid.NamespaceUrl, $"/notebooks/{name}");

    public static Notebook Start(string name) => Create<Notebook>(CreateId(name), new Started(name));

    public void Write(string text) => Trigger(new Written(text));

    public void Tag(string tag) => Trigger(new Tagged(tag));

    protected override void Apply(DomainEvent domainEvent)
    {
        _appliedEvents++;
        switch (domainEvent)
        {
            case Started started:
                Name = started.Name;
                break;
            case Written written:
                Texts.Add(written.Text);
                break;
            case Tagged tagged:
                _tags.Add(tagged.Tag);
                break;
        }
    }

    public sealed record Started(string Name) : DomainEvent;

    /// <summary>Stored under <see cref="OldTopic"/> by an earlier version (see <see cref="NotebookApplication.WriteUnderOldTopicAsync"/>).</summary>
    [TopicAlias(OldTopic)]
    public sealed record Written(string Text) : DomainEvent
    {
        public const string OldTopic = "runner-tests:Notebook.Jotted";
    }

    public sealed record Tagged(string Tag) : DomainEvent;
}
