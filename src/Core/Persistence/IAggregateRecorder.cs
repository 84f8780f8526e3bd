namespace EventSourcing;

/// <summary>Stores the events (or snapshots) of aggregates.</summary>
public interface IAggregateRecorder
{
    /// <summary>
    /// Inserts all the events or none. (originator id, version) is unique, also within the batch;
    /// a conflict raises <see cref="IntegrityException"/> and writes nothing. Returns after commit,
    /// with one notification id per event, strictly increasing (empty for recorders without a log).
    /// </summary>
    Task<IReadOnlyList<long>> InsertEventsAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken = default);

    /// <summary>An aggregate's events with version &gt; <paramref name="gt"/> and &lt;= <paramref name="lte"/>, ascending unless <paramref name="desc"/>, at most <paramref name="limit"/> after ordering.</summary>
    Task<IReadOnlyList<StoredEvent>> SelectEventsAsync(
        Guid originatorId,
        int? gt = null,
        int? lte = null,
        bool desc = false,
        int? limit = null,
        CancellationToken cancellationToken = default);
}
