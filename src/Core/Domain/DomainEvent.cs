namespace EventSourcing;

/// <summary>
/// An immutable fact about an aggregate. Derive a sealed record holding the payload only;
/// <see cref="Aggregate.Trigger"/> stamps the originator id, version and timestamp.
/// </summary>
/// <remarks>
/// The originator id and version are stored in their own columns, never in the serialized state.
/// </remarks>
public abstract record DomainEvent
{
    public Guid OriginatorId { get; init; }

    public int OriginatorVersion { get; init; }

    public DateTimeOffset Timestamp { get; init; }
}
