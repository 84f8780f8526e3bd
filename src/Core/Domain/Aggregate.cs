using System.Text.Json.Serialization;

namespace EventSourcing;

/// <summary>
/// An event-sourced aggregate. Command methods call <see cref="Trigger"/> with a new event; the
/// event is applied by <see cref="Apply"/>, the same code path used when stored events are replayed,
/// and is held as pending until the application saves the aggregate.
/// </summary>
/// <remarks>
/// A derived class needs a parameterless constructor (it may be private) so that it can be rebuilt
/// from its events. Give it a static factory that calls <see cref="Create{TAggregate}"/>.
/// </remarks>
public abstract class Aggregate
{
    private readonly List<DomainEvent> _pendingEvents = [];

    public Guid Id { get; private set; }

    /// <summary>The version of the last event applied: 1 after the creating event.</summary>
    public int Version { get; private set; }

    public DateTimeOffset CreatedOn { get; private set; }

    public DateTimeOffset ModifiedOn { get; private set; }

    [JsonIgnore]
    public IReadOnlyList<DomainEvent> PendingEvents => _pendingEvents;

    /// <summary>Creates an aggregate with the given id by triggering its first event.</summary>
    protected static TAggregate Create<TAggregate>(Guid id, DomainEvent created)
        where TAggregate : Aggregate
    {
        ArgumentNullException.ThrowIfNull(created);
        var aggregate = AggregateFactory.New<TAggregate>();
        aggregate.Id = id;
        aggregate.Trigger(created);
        return aggregate;
    }

    /// <summary>Stamps the event with this aggregate's id, next version and the time, applies it and holds it as pending.</summary>
    protected void Trigger(DomainEvent domainEvent)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var stamped = domainEvent with
        {
            OriginatorId = Id,
            OriginatorVersion = Version + 1,
            Timestamp = DateTimeOffset.UtcNow,
        };
        Mutate(stamped);
        _pendingEvents.Add(stamped);
    }

    /// <summary>Changes the state for one event. Called for new and for replayed events alike.</summary>
    protected abstract void Apply(DomainEvent domainEvent);

    /// <summary>Removes and returns the pending events (the application does this when it saves).</summary>
    public IReadOnlyList<DomainEvent> CollectEvents()
    {
        if (_pendingEvents.Count == 0)
        {
            return [];
        }

        var collected = _pendingEvents.ToArray();
        _pendingEvents.Clear();
        return collected;
    }

    /// <summary>Applies a stored event during replay; it must be this aggregate's next event.</summary>
    internal void Replay(DomainEvent domainEvent) => Mutate(domainEvent);

    internal void RestoreIdentity(Guid id) => Id = id;

    private void Mutate(DomainEvent domainEvent)
    {
        if (Version == 0 && Id == Guid.Empty)
        {
            Id = domainEvent.OriginatorId;
        }

        if (domainEvent.OriginatorId != Id)
        {
            throw new EventSequenceException(
                $"Event {domainEvent.GetType().Name} belongs to aggregate {domainEvent.OriginatorId}, not {Id}");
        }

        if (domainEvent.OriginatorVersion != Version + 1)
        {
            throw new EventSequenceException(
                $"Event {domainEvent.GetType().Name} of aggregate {Id} has version {domainEvent.OriginatorVersion}; expected {Version + 1}");
        }

        Apply(domainEvent);
        Version = domainEvent.OriginatorVersion;
        if (Version == 1)
        {
            CreatedOn = domainEvent.Timestamp;
        }

        ModifiedOn = domainEvent.Timestamp;
    }
}
