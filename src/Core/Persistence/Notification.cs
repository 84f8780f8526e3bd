namespace EventSourcing;

/// <summary>A stored event with its position in the application's notification log.</summary>
public sealed record Notification(long Id, Guid OriginatorId, int OriginatorVersion, string Topic, byte[] State, byte[]? Metadata = null)
{
    public StoredEvent ToStoredEvent() => new(OriginatorId, OriginatorVersion, Topic, State, Metadata);
}
