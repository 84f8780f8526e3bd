namespace EventSourcing;

/// <summary>An event as it is stored: identity and version in columns, the rest as (possibly compressed and encrypted) state bytes.</summary>
public sealed record StoredEvent(Guid OriginatorId, int OriginatorVersion, string Topic, byte[] State);
