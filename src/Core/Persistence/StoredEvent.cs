namespace EventSourcing;

/// <summary>
/// An event as it is stored: identity and version in columns, the rest as (possibly compressed and encrypted) state
/// bytes, and its <see cref="EventMetadata"/> in a column of its own, encoded the same way (null for events recorded
/// before metadata existed, and for snapshots).
/// </summary>
public sealed record StoredEvent(Guid OriginatorId, int OriginatorVersion, string Topic, byte[] State, byte[]? Metadata = null);
