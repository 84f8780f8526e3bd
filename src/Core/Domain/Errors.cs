namespace EventSourcing;

/// <summary>The root of every error this library raises on purpose.</summary>
public class EventSourcingException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>The repository has no aggregate with the requested id (or not at the requested version).</summary>
public sealed class AggregateNotFoundException(Guid id, int? version = null)
    : EventSourcingException(version is null
        ? $"Aggregate {id} not found"
        : $"Aggregate {id} not found at version {version}")
{
    public Guid AggregateId { get; } = id;

    /// <summary>The version that was asked for, or null for the latest.</summary>
    public int? Version { get; } = version;
}

/// <summary>
/// A write would break a uniqueness rule: an event at an existing (originator id, version),
/// or a tracking record that was already written. Nothing of the write was stored.
/// </summary>
public class IntegrityException(string message, Exception? innerException = null)
    : EventSourcingException(message, innerException);

/// <summary>An optimistic concurrency conflict: the aggregate was changed by someone else first.</summary>
public sealed class ConcurrencyException(string message, Exception? innerException = null)
    : IntegrityException(message, innerException);

/// <summary>The store could not do what was asked (connection lost, lock timeout, disk full). Often transient.</summary>
public class OperationalException(string message, Exception? innerException = null, bool isTransient = false)
    : EventSourcingException(message, innerException)
{
    public bool IsTransient { get; } = isTransient;
}

/// <summary>The code or configuration is wrong (bad SQL, missing setting, unknown topic); retrying will not help.</summary>
public class ProgrammingException(string message, Exception? innerException = null)
    : EventSourcingException(message, innerException);

/// <summary>A setting is missing or invalid. The message names the environment variable.</summary>
public sealed class ConfigurationException(string message, Exception? innerException = null)
    : ProgrammingException(message, innerException);

/// <summary>Stored bytes could not be turned back into an event: wrong key, tampered data, or an unknown topic.</summary>
public sealed class DecodingException(string message, Exception? innerException = null)
    : EventSourcingException(message, innerException);

/// <summary>An event cannot be applied to an aggregate: it belongs to another aggregate or is out of sequence.</summary>
public sealed class EventSequenceException(string message) : EventSourcingException(message);
